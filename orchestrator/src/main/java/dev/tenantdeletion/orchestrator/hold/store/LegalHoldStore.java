package dev.tenantdeletion.orchestrator.hold.store;

import dev.tenantdeletion.orchestrator.job.store.TenantLocks;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Legal holds, as plain SQL on the reactive pool. Rows are never deleted or overwritten: lifting or
 * replacing a hold stamps it (who, when, how), so the table is the audit record of every hold. Placing a
 * hold takes the same per-tenant lock as a new job, a retry, execute-now and a scheduled job coming due
 * ({@link TenantLocks}), so a hold and a deletion never both win.
 */
@ApplicationScoped
public class LegalHoldStore {

    private final Pool pool;

    public LegalHoldStore(Pool pool) {
        this.pool = pool;
    }

    /** A hold as answered. */
    public record Hold(UUID tenantId, String reason, Instant until, String placedBy, Instant placedAt) {
    }

    /** What placing a hold came to: {@code DONE} and the hold, or {@code DELETION_IN_PROGRESS} (a job of the tenant is pending or running). */
    public record Placed(Outcome outcome, Hold hold) {
    }

    /**
     * Places the tenant's hold (replacing the one in place, which is stamped {@code replaced}); refused while
     * a job of the tenant is pending or running: that deletion is under way and a hold cannot stop it halfway.
     */
    public Uni<Placed> place(UUID tenant, String reason, Instant until, String by) {
        OffsetDateTime end = until == null ? null : until.atOffset(ZoneOffset.UTC);
        return pool.withTransaction(connection -> TenantLocks.lock(connection, tenant)
                .chain(() -> connection.preparedQuery(
                                "select 1 from deletion_jobs where tenant_id = $1 and status = any($2)")
                        .execute(Tuple.of(tenant, JobStatus.asText(JobStatus.IN_PROGRESS))))
                .chain(running -> running.rowCount() > 0 ? Uni.createFrom().item(new Placed(Outcome.DELETION_IN_PROGRESS, null))
                        : lift(connection, tenant, by, "replaced")
                                .chain(() -> connection.preparedQuery("""
                                                insert into legal_holds (id, tenant_id, reason, until, placed_by)
                                                values ($1, $2, $3, $4, $5)
                                                returning tenant_id, reason, until, placed_by, placed_at""")
                                        .execute(Tuple.from(Arrays.asList(UUID.randomUUID(), tenant, reason, end, by))))
                                .map(rows -> new Placed(Outcome.DONE, hold(rows.iterator().next())))));
    }

    /** The hold in force for the tenant, if any (a hold whose {@code until} has passed is not). */
    public Uni<Optional<Hold>> current(UUID tenant) {
        return pool.preparedQuery("select tenant_id, reason, until, placed_by, placed_at from legal_holds h where tenant_id = $1 and"
                        + TenantLocks.inForce("h"))
                .execute(Tuple.of(tenant))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(hold(rows.iterator().next())));
    }

    /** Lifts the tenant's hold (stamped {@code lifted}, by whom, when); false when none was in place. */
    public Uni<Boolean> lift(UUID tenant, String by) {
        return pool.withTransaction(connection -> lift(connection, tenant, by, "lifted")).map(lifted -> lifted > 0);
    }

    private static Uni<Integer> lift(SqlConnection connection, UUID tenant, String by, String how) {
        // an expired hold not lifted yet is stamped too: the record then says when it was cleared away
        return connection.preparedQuery("""
                        update legal_holds set lifted_at = now(), lifted_by = $2, lifted_how = $3
                         where tenant_id = $1 and lifted_at is null""")
                .execute(Tuple.of(tenant, by, how))
                .map(rows -> rows.rowCount());
    }

    private static Hold hold(Row row) {
        OffsetDateTime until = row.getOffsetDateTime("until");
        return new Hold(row.getUUID("tenant_id"), row.getString("reason"), until == null ? null : until.toInstant(),
                row.getString("placed_by"), row.getOffsetDateTime("placed_at").toInstant());
    }
}
