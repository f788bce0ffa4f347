package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.StatusCounts;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads of the job store: one job with its service runs, or a filtered page (Hibernate Reactive Panache), and the
 * jobs per status (one aggregate on the reactive pool). Whether a hold is in force is the database's answer, on its
 * clock, by the same rule the writes decide by ({@link TenantLocks#holdInForce}).
 */
@ApplicationScoped
public class JobQueries {

    private final Pool pool;

    public JobQueries(Pool pool) {
        this.pool = pool;
    }

    /**
     * A job and its service runs, sorted by service name. {@code onHold}: a legal hold of its tenant is in force
     * (read only for scheduled jobs, the ones a hold keeps waiting).
     */
    public record JobRecord(DeletionJob job, List<ServiceRun> services, boolean onHold) {

        public JobRecord(DeletionJob job, List<ServiceRun> services) {
            this(job, services, false);
        }
    }

    /** One page of jobs, newest first, and how many match in all. */
    public record JobPage(List<JobRecord> items, long total) {
    }

    @WithSession
    public Uni<Optional<JobRecord>> find(UUID jobId) {
        return DeletionJob.<DeletionJob>findById(jobId)
                .chain(job -> job == null
                        ? Uni.createFrom().item(Optional.<JobRecord>empty())
                        : ServiceRun.<ServiceRun>list("jobId = ?1 order by service", jobId)
                                .chain(runs -> tenantsOnHold(List.of(job))
                                        .map(onHold -> Optional.of(new JobRecord(job, runs, onHold.contains(job.tenantId))))));
    }

    /** Jobs of a tenant and/or with a status (either may be null), newest first. */
    @WithSession
    public Uni<JobPage> list(UUID tenant, JobStatus status, int page, int size) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (tenant != null) {
            conditions.add("tenantId = :tenant");
            parameters.and("tenant", tenant);
        }
        if (status != null) {
            conditions.add("status = :status");
            parameters.and("status", status.value());
        }
        String where = String.join(" and ", conditions);
        Sort newestFirst = Sort.descending("createdAt", "id");
        var query = where.isEmpty() ? DeletionJob.<DeletionJob>findAll(newestFirst)
                : DeletionJob.<DeletionJob>find(where, newestFirst, parameters);
        return query.page(Page.of(page, size)).list()
                .chain(jobs -> (where.isEmpty() ? DeletionJob.count() : DeletionJob.count(where, parameters))
                        .chain(total -> withServices(jobs).map(items -> new JobPage(items, total))));
    }

    private Uni<List<JobRecord>> withServices(List<DeletionJob> jobs) {
        if (jobs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = jobs.stream().map(job -> job.id).toList();
        return ServiceRun.<ServiceRun>list("jobId in ?1 order by service", ids).chain(runs -> tenantsOnHold(jobs).map(onHold -> {
            Map<UUID, List<ServiceRun>> byJob = new LinkedHashMap<>();
            runs.forEach(run -> byJob.computeIfAbsent(run.jobId, id -> new ArrayList<>()).add(run));
            return jobs.stream().map(job -> new JobRecord(job, byJob.getOrDefault(job.id, List.of()), onHold.contains(job.tenantId)))
                    .toList();
        }));
    }

    /** The tenants of these scheduled jobs with a legal hold in force now. */
    private Uni<Set<UUID>> tenantsOnHold(List<DeletionJob> jobs) {
        List<UUID> tenants = jobs.stream().filter(job -> JobStatus.of(job.status) == JobStatus.SCHEDULED).map(job -> job.tenantId)
                .distinct().toList();
        if (tenants.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("select t from unnest($1::uuid[]) as t where" + TenantLocks.holdInForce("t"))
                .execute(Tuple.of(tenants.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<UUID> onHold = new HashSet<>();
                    rows.forEach(row -> onHold.add(row.getUUID("t")));
                    return onHold;
                });
    }

    /**
     * Of these services, those re-verification has checked for the job's tenant since the job completed and found empty:
     * a pass of the service completed that started after the job completed (a minute after: completed_at is the finish's
     * transaction start, not its commit, which a pass's first page must see), while the job was (and still is) its tenant's
     * most recent job — so the tenant was erased throughout and that pass checked it — with no finding of the tenant in
     * the service since. (What lifts the certificate's refusal for a service registered after the job ran.)
     */
    public Uni<Set<String>> reverified(DeletionJob job, Collection<String> services) {
        if (services.isEmpty() || job.completedAt == null) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("""
                        select p.service from reverification_progress p
                         where p.service = any($3) and p.last_pass_started_at > $4::timestamptz + interval '1 minute'
                           and (select id from deletion_jobs where tenant_id = $1 order by created_at desc, id desc limit 1) = $2
                           and not exists (select 1 from reverification_findings f
                                            where f.tenant_id = $1 and f.service = p.service and f.erased_by_job_id = $2)""")
                .execute(Tuple.of(job.tenantId, job.id, services.toArray(String[]::new), job.completedAt.atOffset(java.time.ZoneOffset.UTC)))
                .map(rows -> {
                    Set<String> checked = new HashSet<>();
                    rows.forEach(row -> checked.add(row.getString("service")));
                    return checked;
                });
    }

    /**
     * One aggregate over the status index: jobs per status (statuses without a job are absent) and the age
     * of the oldest running job, from the claim that started its current run (a retry starts a new run), 0 when none runs.
     */
    public Uni<StatusCounts> statusCounts(Collection<JobStatus> statuses) {
        return pool.preparedQuery("""
                        select status, count(*) as jobs,
                               coalesce(extract(epoch from now() - min(coalesce(run_started_at, started_at))), 0)::float8 as oldest_seconds
                          from deletion_jobs where status = any($1) group by status""")
                .execute(Tuple.of(JobStatus.asText(statuses)))
                .map(rows -> {
                    Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
                    double oldestRunning = 0;
                    for (Row row : rows) {
                        JobStatus status = JobStatus.of(row.getString("status"));
                        jobs.put(status, row.getLong("jobs"));
                        if (status == JobStatus.RUNNING) {
                            oldestRunning = Math.max(0, row.getDouble("oldest_seconds"));
                        }
                    }
                    return new StatusCounts(jobs, oldestRunning);
                });
    }
}
