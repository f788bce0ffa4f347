package dev.tenantdeletion.orchestrator.job.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * The per-tenant decision between a legal hold and a deletion. Everything that decides it — a new job, a retry,
 * execute-now, placing a hold, and (with the non-blocking try) a scheduled job coming due — takes the tenant's
 * transaction lock first, so a hold and a deletion never both win; every lock is built from the one key below.
 * "A hold in force" is one SQL fragment on the database's clock, for writes and reads alike.
 */
public final class TenantLocks {

    /** The advisory-lock key of a tenant: {@code %s} is a uuid expression. */
    private static final String KEY = "hashtextextended(%s::text, 12)";

    /** Blocks until the tenant's lock ({@code $1}, a uuid) is held, to the end of the transaction. */
    public static final String LOCK = "select pg_advisory_xact_lock(" + KEY.formatted("$1::uuid") + ")";

    private TenantLocks() {
    }

    /** True when the lock of tenant {@code <tenantExpression>} was free and is now held (to the end of the transaction). */
    public static String tryLock(String tenantExpression) {
        return " pg_try_advisory_xact_lock(" + KEY.formatted(tenantExpression) + ") ";
    }

    /** Holds {@code tenant}'s lock to the end of the connection's transaction. */
    public static Uni<Void> lock(SqlConnection connection, UUID tenant) {
        return connection.preparedQuery(LOCK).execute(Tuple.of(tenant)).replaceWithVoid();
    }

    /** The legal hold in row {@code alias} of legal_holds is in force now: not lifted, and without an end or ending later. */
    public static String inForce(String alias) {
        return " " + alias + ".lifted_at is null and (" + alias + ".until is null or " + alias + ".until > now()) ";
    }

    /** A legal hold of tenant {@code <tenantExpression>} is in force now. */
    public static String holdInForce(String tenantExpression) {
        // spaced on both sides: text blocks strip the trailing blank of the line it follows
        return " exists (select 1 from legal_holds h where h.tenant_id = " + tenantExpression + " and" + inForce("h") + ") ";
    }

    /** Whether a legal hold of the tenant is in force, read inside the caller's transaction (under its lock). */
    public static Uni<Boolean> onHold(SqlConnection connection, UUID tenant) {
        return connection.preparedQuery("select" + holdInForce("$1") + "as on_hold").execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().next().getBoolean("on_hold"));
    }
}
