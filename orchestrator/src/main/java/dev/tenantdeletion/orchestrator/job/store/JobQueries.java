package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.hold.store.LegalHold;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;

/** Reads of the job store (Hibernate Reactive Panache): one job with its services, or a filtered page. */
@ApplicationScoped
public class JobQueries {

    /**
     * A job and its services, sorted by service name. {@code held}: a legal hold of its tenant is in force
     * (read only for scheduled jobs, the ones a hold keeps waiting).
     */
    public record JobRecord(DeletionJob job, List<ServiceRun> services, boolean held) {

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
                                .chain(runs -> heldTenants(List.of(job))
                                        .map(held -> Optional.of(new JobRecord(job, runs, held.contains(job.tenantId))))));
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

    private static Uni<List<JobRecord>> withServices(List<DeletionJob> jobs) {
        if (jobs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = jobs.stream().map(job -> job.id).toList();
        return ServiceRun.<ServiceRun>list("jobId in ?1 order by service", ids).chain(runs -> heldTenants(jobs).map(held -> {
            Map<UUID, List<ServiceRun>> byJob = new LinkedHashMap<>();
            runs.forEach(run -> byJob.computeIfAbsent(run.jobId, id -> new ArrayList<>()).add(run));
            return jobs.stream().map(job -> new JobRecord(job, byJob.getOrDefault(job.id, List.of()), held.contains(job.tenantId)))
                    .toList();
        }));
    }

    /** The tenants of these scheduled jobs with a legal hold in force now. */
    private static Uni<Set<UUID>> heldTenants(List<DeletionJob> jobs) {
        List<UUID> tenants = jobs.stream().filter(job -> JobStatus.of(job.status) == JobStatus.SCHEDULED).map(job -> job.tenantId)
                .distinct().toList();
        if (tenants.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        Instant now = Instant.now();
        return LegalHold.<LegalHold>list("tenantId in ?1 and liftedAt is null", tenants)
                .map(holds -> holds.stream().filter(hold -> hold.inForce(now)).map(hold -> hold.tenantId).collect(Collectors.toSet()));
    }
}
