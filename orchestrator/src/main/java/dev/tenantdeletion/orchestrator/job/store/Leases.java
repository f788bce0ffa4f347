package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.JobStatus.Transition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Who runs a job: claimed with {@code FOR UPDATE SKIP LOCKED} and kept under a lease on the database's clock,
 * which the lease owner renews while its claim runs. A lease that expired or was released is claimed again by
 * any replica, so two replicas never run the same job and a dead one's jobs are resumed.
 */
@ApplicationScoped
public class Leases {

    private static final String CLAIM = """
            update deletion_jobs j
               set status = $5, started_at = coalesce(j.started_at, now()),
                   -- a new run (first run or a retry: the job was pending) starts now; a running job taken over after a
                   -- lease expired goes on with its run (the stuck-job gauge measures runs, not takeovers)
                   run_started_at = case when j.status = 'running' then coalesce(j.run_started_at, now()) else now() end,
                   lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2)
             where j.id in (select id from deletion_jobs
                             where status = any($6)
                               and (lease_expires_at is null or lease_expires_at < now())
                               and ($4::uuid is null or id = $4)
                             order by created_at
                             limit $3
                             for update skip locked)
            returning j.id, j.tenant_id""";

    private final Pool pool;

    public Leases(Pool pool) {
        this.pool = pool;
    }

    /** Claims up to {@code limit} jobs that are pending, or running under an expired lease, oldest first. */
    public Uni<List<Claim>> claimDue(String leaseOwner, Duration lease, int limit) {
        return claim(leaseOwner, lease, limit, null);
    }

    /** Claims this job if it is pending, or running under an expired lease. */
    public Uni<Optional<Claim>> claim(UUID jobId, String leaseOwner, Duration lease) {
        return claim(leaseOwner, lease, 1, jobId).map(claims -> claims.stream().findFirst());
    }

    private Uni<List<Claim>> claim(String leaseOwner, Duration lease, int limit, UUID jobId) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.from(Arrays.asList(leaseOwner, seconds(lease), (long) limit, jobId, Transition.CLAIM.to().value(),
                        Transition.CLAIM.fromValues())))
                .map(rows -> {
                    List<Claim> claims = new ArrayList<>();
                    rows.forEach(row -> claims.add(new Claim(row.getUUID("id"), row.getUUID("tenant_id"), leaseOwner)));
                    return claims;
                });
    }

    /** Extends the lease; false when this lease owner no longer holds it. */
    public Uni<Boolean> renew(UUID jobId, String leaseOwner, Duration lease) {
        return pool.preparedQuery("""
                        update deletion_jobs set lease_expires_at = now() + make_interval(secs => $3)
                         where id = $1 and lease_owner = $2 and status = $4""")
                .execute(Tuple.of(jobId, leaseOwner, seconds(lease), JobStatus.RUNNING.value()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives up these leases (at shutdown, the claims that did not finish in time), so another replica resumes them at once. */
    public Uni<Integer> release(List<String> leaseOwners) {
        if (leaseOwners.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("""
                        update deletion_jobs set lease_owner = null, lease_expires_at = null
                         where lease_owner = any($1)""")
                .execute(Tuple.of(leaseOwners.toArray(String[]::new)))
                .map(RowSet::rowCount);
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
