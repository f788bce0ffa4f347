package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.orchestrator.job.store.DeletionJob;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.ServiceRun;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as the contract shows it (snake_case by the shared Jackson setting). Also returned inside a
 * Response (POST, retry), which Quarkus cannot trace for native images: hence the registration.
 */
@RegisterForReflection(targets = {JobView.class, JobView.ServiceRunView.class})
@Schema(description = "A deletion job. While it runs, services[].deleted_counts, total_deleted and total_items_deleted "
        + "grow after every answer of a service; the final figures are exact (the services' totals under the job's Idempotency-Key).")
public record JobView(UUID jobId, UUID tenantId,
        @Schema(description = "As the request gave it; null when it gave none", nullable = true) String tenantName,
        @Schema(description = "Why the tenant is deleted, as the request gave it; null when it gave none", nullable = true) String reason,
        @Schema(description = "The token's sub of who asked (\"reverification\" for a follow-up job)") String requestedBy,
        @Schema(enumeration = {"scheduled", "pending", "running", "completed", "partially_failed", "failed", "cancelled"})
        String status,
        Instant createdAt,
        @Schema(description = "When its first run started; null while scheduled or pending", nullable = true) Instant startedAt,
        @Schema(description = "When it finished; null until then", nullable = true) Instant completedAt,
        int servicesTotal, int servicesCompleted,
        int servicesFailed, long totalItemsDeleted,
        @Schema(description = "Sum of the services' items_expected; null while none is known", nullable = true) Long itemsExpected,
        boolean verified,
        @Schema(description = "When a scheduled job becomes due (grace_period / execute_after); null when none was asked for",
                nullable = true) Instant executeAfter,
        @Schema(description = "When a scheduled job was cancelled; null unless cancelled", nullable = true) Instant cancelledAt,
        @Schema(description = "Who cancelled it (the token's sub); null unless cancelled", nullable = true) String cancelledBy,
        @Schema(description = "Who executed the scheduled job before its execute_after (the token's sub); null unless so",
                nullable = true) String expeditedBy,
        @Schema(description = "Why a due scheduled job is still waiting: \"legal_hold\" while a legal hold of its tenant is in force; "
                + "null otherwise", nullable = true, enumeration = {"legal_hold"}) String blockedBy,
        @Schema(description = "A re-verification's follow-up job: the completed job that had erased the tenant before its rows "
                + "came back; null unless set", nullable = true) UUID followsJobId,
        @Schema(description = "The sha256 of the export's manifest.json named when the job was created (also in its certificate); "
                + "null when none was", nullable = true) String exportSha256,
        List<ServiceRunView> services) {

    /**
     * A service run, one service's part of the job. {@code verified}: its preview read zero rows after the delete.
     * {@code duration_ms}: the orchestrator's wall time for the service in the latest run (attempts, waits and
     * verification). The schema keeps its published name.
     */
    @Schema(name = "ServiceView")
    public record ServiceRunView(String service,
            @Schema(enumeration = {"pending", "running", "completed", "failed", "timed_out"}) String status,
            @Schema(description = "DELETE attempts over every claim: the first call of each claim plus each retry after a failure") int attempts,
            @Schema(description = "Every HTTP DELETE call made, continuation calls after complete=false included, over every claim") int calls,
            @Schema(description = "Rows the service's preview showed when the job started running, before its first DELETE; "
                    + "null until then or when that preview failed", nullable = true) Long itemsExpected,
            @Schema(description = "Rows deleted per table: the service's totals under the job's Idempotency-Key") Map<String, Long> deletedCounts,
            long totalDeleted,
            @Schema(description = "The orchestrator's wall time for the service in the latest run; null until that run ends",
                    nullable = true) Long durationMs,
            @Schema(description = "Why the service run failed, in stable words (no database text); null unless it failed",
                    nullable = true) String error,
            boolean verified) {

        static ServiceRunView of(ServiceRun run) {
            Map<String, Long> counts = run.deletedCounts == null ? Map.of() : new LinkedHashMap<>(run.deletedCounts);
            return new ServiceRunView(run.service, run.status, run.attempts, run.calls, run.itemsExpected, counts, run.totalDeleted,
                    run.durationMs, run.error, run.verified);
        }
    }

    public static JobView of(JobRecord record) {
        DeletionJob job = record.job();
        List<ServiceRunView> services = record.services().stream().map(ServiceRunView::of).toList();
        int completed = (int) services.stream().filter(s -> ServiceStatus.of(s.status()) == ServiceStatus.COMPLETED).count();
        int failed = (int) services.stream().filter(s -> ServiceStatus.of(s.status()).isFailure()).count();
        long deleted = services.stream().mapToLong(ServiceRunView::totalDeleted).sum();
        // the sum of what is known; null while no service's figure is
        Long expected = services.stream().map(ServiceRunView::itemsExpected).filter(java.util.Objects::nonNull)
                .reduce(Long::sum).orElse(null);
        return new JobView(job.id, job.tenantId, job.tenantName, job.reason, job.requestedBy, job.status, job.createdAt,
                job.startedAt, job.completedAt, services.size(), completed, failed, deleted, expected, job.verified,
                job.executeAfter, job.cancelledAt, job.cancelledBy, job.expeditedBy,
                record.onHold() && JobStatus.of(job.status) == JobStatus.SCHEDULED ? "legal_hold" : null, job.followsJobId,
                job.exportSha256, services);
    }
}
