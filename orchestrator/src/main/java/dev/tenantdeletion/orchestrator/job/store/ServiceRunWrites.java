package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.model.ReceiptTally;
import dev.tenantdeletion.orchestrator.model.ServiceProgress;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
import dev.tenantdeletion.orchestrator.model.ServiceStatus.Transition;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A claim's service runs: those it adds for services registered since the job was created, then its progress, one
 * service run at a time: calls, the expected rows, the deleted rows and the result.
 * Plain SQL on the reactive pool (no session bound to a Vert.x context), so every service's pipeline of a
 * claim writes at once; each write holds only while the claim keeps its lease.
 */
@ApplicationScoped
public class ServiceRunWrites {

    /**
     * Only the lease holder may write a job's progress. {@code for share} makes it a real fence: a write
     * that races a takeover waits for the claiming transaction and then re-reads the lease, instead of
     * succeeding on the snapshot from before the claim committed.
     */
    private static final String HOLDS_LEASE = " exists (select 1 from deletion_jobs j where j.id = s.job_id and j.lease_owner = $2 for share)";

    private final Pool pool;

    public ServiceRunWrites(Pool pool) {
        this.pool = pool;
    }

    /**
     * Resolves the job's scope at the start of a claim: every registered service the job has no service run for
     * gets one, {@code pending}, so it is called like the others. One statement, fenced by the claim's lease and
     * idempotent (the unique (job, service) pair). Gives the services added, sorted (none when the job had them
     * all), or empty when the lease is lost.
     */
    public Uni<Optional<List<String>>> addRegistered(UUID jobId, String leaseOwner, List<String> registry) {
        UUID[] ids = registry.stream().map(service -> UUID.randomUUID()).toArray(UUID[]::new);
        return pool.preparedQuery("""
                        with lease as (select j.id from deletion_jobs j where j.id = $1 and j.lease_owner = $2 for share),
                             added as (insert into deletion_job_services (id, job_id, service, status)
                                       select r.id, lease.id, r.service, $5
                                         from lease cross join unnest($3::text[], $4::uuid[]) as r(service, id)
                                       on conflict (job_id, service) do nothing
                                       returning service)
                        select exists (select 1 from lease) as lease_kept,
                               array(select service from added order by service) as added""")
                .execute(Tuple.of(jobId, leaseOwner, registry.toArray(String[]::new), ids, ServiceStatus.INITIAL.value()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getBoolean("lease_kept") ? Optional.of(List.of(row.getArrayOfStrings("added"))) : Optional.empty();
                });
    }

    /** The job's service runs, as the next claim of the job resumes them. */
    public Uni<List<ServiceProgress>> services(UUID jobId) {
        return pool.preparedQuery("""
                        select service, status, deleted_counts, receipt, carried_counts, attempts, calls, items_expected
                          from deletion_job_services where job_id = $1 order by service""")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    List<ServiceProgress> services = new ArrayList<>();
                    rows.forEach(row -> services.add(new ServiceProgress(row.getString("service"), ServiceStatus.of(row.getString("status")),
                            ReceiptTally.stored(row.getString("receipt"), Counts.ofColumn(row.getValue("carried_counts")),
                                    Counts.ofColumn(row.getValue("deleted_counts"))),
                            row.getInteger("attempts"), row.getInteger("calls"), row.getLong("items_expected"))));
                    return services;
                });
    }

    /**
     * Counts one more DELETE call, and one more attempt when it is the first call of a claim or a retry
     * ({@code newAttempt}; a continuation after complete=false is not); false when the lease is lost.
     */
    public Uni<Boolean> callStarted(UUID jobId, String leaseOwner, String service, boolean newAttempt) {
        return pool.preparedQuery("""
                        update deletion_job_services s
                           set status = $5, calls = s.calls + 1,
                               attempts = s.attempts + case when $4 then 1 else 0 end,
                               started_at = coalesce(s.started_at, now())
                         where s.job_id = $1 and s.service = $3 and s.status = any($6) and""" + HOLDS_LEASE)
                .execute(Tuple.of(jobId, leaseOwner, service, newAttempt, Transition.CALL_STARTED.to().value(),
                        Transition.CALL_STARTED.fromValues()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Stores the preview taken before the first DELETE; a figure already stored is kept. False when the lease is lost. */
    public Uni<Boolean> recordExpected(UUID jobId, String leaseOwner, String service, long items) {
        return pool.preparedQuery("""
                        update deletion_job_services s set items_expected = coalesce(s.items_expected, $4)
                         where s.job_id = $1 and s.service = $3 and""" + HOLDS_LEASE)
                .execute(Tuple.of(jobId, leaseOwner, service, items))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Stores the service's deleted rows (every receipt of the job's key: {@link ReceiptTally}, as merged by the
     * claim). Gives the rows this write added to the stored total — so a repeated or re-sent answer adds nothing —
     * or empty when the lease is lost.
     */
    public Uni<OptionalLong> recordDeleted(UUID jobId, String leaseOwner, String service, ReceiptTally tally) {
        Map<String, Long> deleted = tally.deleted();
        // the FROM row is the stored total before this write, RETURNING sees the new one (only the lease holder
        // writes a service's progress, one answer after the other, so nothing changes the row in between)
        return pool.preparedQuery("""
                        update deletion_job_services s
                           set deleted_counts = $4, total_deleted = $5, receipt = $6, carried_counts = $7
                          from (select id, total_deleted from deletion_job_services
                                 where job_id = $1 and service = $3) before
                         where s.id = before.id and""" + HOLDS_LEASE
                        + " returning greatest(s.total_deleted - before.total_deleted, 0) as added")
                .execute(Tuple.from(Arrays.asList(jobId, leaseOwner, service, new JsonObject(new LinkedHashMap<>(deleted)), Counts.total(deleted),
                        tally.receipt(), new JsonObject(new LinkedHashMap<>(tally.carried())))))
                .map(rows -> rows.rowCount() == 1 ? OptionalLong.of(rows.iterator().next().getLong("added")) : OptionalLong.empty());
    }

    /** Stores a service's result in this claim; false when the lease is lost. */
    public Uni<Boolean> recordResult(UUID jobId, String leaseOwner, ServiceResult result) {
        Transition finish = Transition.finishingAs(result.status());
        return pool.preparedQuery("""
                        update deletion_job_services s
                           set status = $4, verified = $5, remaining_items = $6, error = $7, duration_ms = $8,
                               completed_at = case when $10 then now() else null end,
                               retained = coalesce($9, s.retained)
                         where s.job_id = $1 and s.service = $3 and s.status = any($11) and""" + HOLDS_LEASE)
                .execute(Tuple.from(Arrays.asList(jobId, leaseOwner, result.service(), finish.to().value(), result.verified(),
                        result.remainingItems(), result.error(), result.durationMs(),
                        result.retained() == null ? null : new JsonObject(new LinkedHashMap<>(result.retained())),
                        result.status() == ServiceStatus.COMPLETED, finish.fromValues())))
                .map(rows -> rows.rowCount() == 1);
    }
}
