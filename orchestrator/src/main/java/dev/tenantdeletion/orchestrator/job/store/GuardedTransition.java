package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.JobStatus.Transition;
import dev.tenantdeletion.orchestrator.model.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one rule of a job's move that a legal hold can refuse (execute-now, retry): under the tenant's lock and the
 * job's row lock, the job exists ({@code NOT_FOUND}), its status is one the transition starts from
 * ({@code NOT_ALLOWED}) and no hold is in force ({@code ON_HOLD}) — then the move is written, in that transaction.
 */
final class GuardedTransition {

    private final Pool pool;

    GuardedTransition(Pool pool) {
        this.pool = pool;
    }

    Uni<Outcome> run(UUID jobId, Transition transition, Function<SqlConnection, Uni<?>> write) {
        return pool.withTransaction(connection -> lockJob(connection, jobId).chain(job -> {
            if (job.isEmpty()) {
                return Uni.createFrom().item(Outcome.NOT_FOUND);
            }
            if (!transition.allowedFrom(job.get().status())) {
                return Uni.createFrom().item(Outcome.NOT_ALLOWED);
            }
            return TenantLocks.onHold(connection, job.get().tenant()).chain(onHold -> onHold ? Uni.createFrom().item(Outcome.ON_HOLD)
                    : write.apply(connection).replaceWith(Outcome.DONE));
        }));
    }

    /** A job's tenant and status, read under the tenant's lock and the job's row lock. */
    private record LockedJob(UUID tenant, JobStatus status) {
    }

    /** Takes the tenant's lock (what a legal hold is decided under), then the job's row; empty when there is no such job. */
    private static Uni<Optional<LockedJob>> lockJob(SqlConnection connection, UUID jobId) {
        return connection.preparedQuery("select tenant_id from deletion_jobs where id = $1").execute(Tuple.of(jobId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<LockedJob>empty());
                    }
                    UUID tenant = rows.iterator().next().getUUID("tenant_id");
                    return TenantLocks.lock(connection, tenant)
                            .chain(() -> connection.preparedQuery("select status from deletion_jobs where id = $1 for update")
                                    .execute(Tuple.of(jobId)))
                            .map(locked -> Optional.of(new LockedJob(tenant, JobStatus.of(locked.iterator().next().getString("status")))));
                });
    }
}
