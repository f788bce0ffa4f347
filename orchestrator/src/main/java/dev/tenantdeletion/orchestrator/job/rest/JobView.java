package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.orchestrator.fanout.ServiceResult;
import dev.tenantdeletion.orchestrator.job.store.DeletionJob;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.ServiceRun;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as the contract shows it (snake_case by the shared Jackson setting). Also returned inside a
 * Response (POST, retry), which Quarkus cannot trace for native images: hence the registration.
 */
@RegisterForReflection(targets = {JobView.class, JobView.ServiceView.class})
public record JobView(UUID jobId, UUID tenantId, String tenantName, String reason, String requestedBy, String status,
        Instant createdAt, Instant startedAt, Instant completedAt, int servicesTotal, int servicesCompleted,
        int servicesFailed, long totalItemsDeleted, boolean verified, List<ServiceView> services) {

    /**
     * One service's part. {@code verified}: its preview read zero rows after the delete. {@code duration_ms}:
     * the orchestrator's wall time for the service in the latest run (attempts, waits and verification).
     */
    public record ServiceView(String service, String status, int attempts, Map<String, Long> deletedCounts,
            long totalDeleted, Long durationMs, String error, boolean verified) {

        static ServiceView of(ServiceRun run) {
            Map<String, Long> counts = run.deletedCounts == null ? Map.of() : new LinkedHashMap<>(run.deletedCounts);
            return new ServiceView(run.service, run.status, run.attempts, counts, run.totalDeleted, run.durationMs, run.error,
                    run.verified);
        }
    }

    public static JobView of(JobRecord record) {
        DeletionJob job = record.job();
        List<ServiceView> services = record.services().stream().map(ServiceView::of).toList();
        int completed = (int) services.stream().filter(s -> ServiceResult.COMPLETED.equals(s.status())).count();
        int failed = (int) services.stream()
                .filter(s -> ServiceResult.FAILED.equals(s.status()) || ServiceResult.TIMED_OUT.equals(s.status())).count();
        long deleted = services.stream().mapToLong(ServiceView::totalDeleted).sum();
        return new JobView(job.id, job.tenantId, job.tenantName, job.reason, job.requestedBy, job.status, job.createdAt,
                job.startedAt, job.completedAt, services.size(), completed, failed, deleted, job.verified, services);
    }
}
