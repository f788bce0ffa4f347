package dev.tenantdeletion.deletion.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * The per-tenant advisory lock that serialises deletion transactions of one tenant across calls and
 * replicas, taken inside the transaction it protects and released by its end.
 */
public final class TenantLock {

    /**
     * lock_timeout is set for this transaction in the same statement, before the lock is asked for (select-list
     * order), so the wait is bounded in one round trip. It stays set for the transaction's later statements too:
     * a DELETE waiting that long on a row lock of the tenant's own writers fails instead of queueing.
     */
    private static final String LOCK = lockStatement("");
    /** The same, for a batch: the transaction reads the tenant's rows by index ({@link ByTenantIndex}). */
    private static final String LOCK_BY_INDEX = lockStatement(ByTenantIndex.SETTINGS + ", ");

    private static String lockStatement(String settings) {
        return "select set_config('lock_timeout', $2, true), " + settings + "pg_advisory_xact_lock($1)::text";
    }

    private TenantLock() {
    }

    /** The advisory-lock key of a tenant (also what a test holds to simulate a deletion in progress). */
    public static long key(UUID tenant) {
        return tenant.getMostSignificantBits() ^ tenant.getLeastSignificantBits();
    }

    /**
     * Takes the lock within {@code wait}, or fails with {@link DeletionFailure#DELETION_IN_PROGRESS}; {@code byIndex}:
     * the transaction reads the tenant's rows by index only (a batch; a whole tenant is left to the planner, whose
     * sequential or bitmap scan suits reading all of a big tenant's rows).
     */
    static Uni<Void> acquire(SqlConnection connection, UUID tenant, Duration wait, boolean byIndex) {
        return connection.preparedQuery(byIndex ? LOCK_BY_INDEX : LOCK)
                .execute(Tuple.of(key(tenant), Math.max(1, wait.toMillis()) + "ms"))
                .onFailure(f -> DatabaseFailure.is(f, DatabaseFailure.LOCK_NOT_AVAILABLE))
                .transform(f -> new DeletionStopped(DeletionFailure.DELETION_IN_PROGRESS,
                        "another deletion of this tenant holds its lock; not obtained within " + wait.toMillis() + " ms", f))
                .replaceWithVoid();
    }
}
