package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.deletion.error.ApiErrors;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobPage;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.JobQueries;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.NewJob;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.Outcome;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/** Deletion jobs as the API sees them: submit, read, list, retry, cancel, execute now. */
@ApplicationScoped
public class JobService {

    /** The longest grace period the contract allows. */
    public static final Duration MAX_GRACE_PERIOD = SettingsValidation.MAX_GRACE_PERIOD;

    private final JobStore store;
    private final JobQueries queries;
    private final JobScheduler scheduler;
    private final ServiceRegistry registry;
    private final OrchestratorSettings settings;
    private final OrchestratorMetrics metrics;

    public JobService(JobStore store, JobQueries queries, JobScheduler scheduler, ServiceRegistry registry,
            OrchestratorSettings settings, OrchestratorMetrics metrics) {
        this.store = store;
        this.queries = queries;
        this.scheduler = scheduler;
        this.registry = registry;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The job for the request, and whether it is new (false: the tenant's active job is returned). */
    public record Submitted(JobRecord job, boolean created) {
    }

    /**
     * A new job on every registered service — started at once, or scheduled when it has a grace period (the
     * request's, else {@code deletion.jobs.default-grace-period}) — or the tenant's scheduled/pending/running
     * job. 409 legal_hold while a hold of the tenant is in force.
     */
    public Uni<Submitted> submit(NewJob requested) {
        requireEnabled();
        registry.requireServices();
        NewJob job = requested.executeAfter() != null || requested.gracePeriod() != null ? requested
                : requested.withGracePeriod(settings.jobs().defaultGracePeriod());
        return store.createOrFindActive(job, registry.services().stream().map(RegisteredService::name).toList())
                .chain(created -> {
                    if (created.kind() == Outcome.Kind.ON_HOLD) {
                        return Uni.createFrom().failure(legalHold());
                    }
                    if (created.created()) {
                        Log.infof("deletion job %s created for tenant %s by %s (reason: %s)", created.jobId(), job.tenantId(),
                                job.requestedBy(), job.reason());
                        scheduler.startSoon(created.jobId());
                    }
                    return get(created.jobId()).map(record -> new Submitted(record, created.created()));
                });
    }

    /** Who asks for a follow-up job: the re-verification sweep (the contract's {@code requested_by}). */
    public static final String REVERIFICATION = "reverification";

    /**
     * A follow-up job for a tenant whose rows came back after {@code followsJobId} erased it: scheduled after
     * {@code deletion.reverify.grace-period} on every registered service (PT0S: pending, started soon). Unlike a
     * request it is created under a legal hold too, scheduled, and the hold keeps it waiting (blocked_by legal_hold):
     * the finding stays on record, and nothing is deleted while the hold is in force. Not refused with
     * DELETION_ENABLED=false either: it waits, as every job does then. The {@link Outcome}: created, the tenant's
     * active job (none created), or NOT_ALLOWED (the tenant got another job since it was read as erased).
     */
    public Uni<Outcome> followUp(UUID tenant, UUID followsJobId, String reason) {
        return store.createFollowUp(tenant, followsJobId, reason, REVERIFICATION, settings.reverify().gracePeriod(),
                        registry.services().stream().map(RegisteredService::name).toList())
                .invoke(outcome -> {
                    if (outcome.created()) {
                        Log.infof("follow-up deletion job %s created for tenant %s after job %s (%s)", outcome.jobId(), tenant, followsJobId,
                                reason);
                        scheduler.startSoon(outcome.jobId());
                    }
                });
    }

    public Uni<JobRecord> get(UUID jobId) {
        return queries.find(jobId).map(found -> found.orElseThrow(JobService::notFound));
    }

    /** Of these services, those re-verification found empty for the job's tenant since the job completed ({@link JobQueries#reverified}). */
    public Uni<java.util.Set<String>> reverified(JobRecord record, java.util.Collection<String> services) {
        return queries.reverified(record.job(), services);
    }

    public Uni<JobPage> list(UUID tenant, JobStatus status, int page, int size) {
        return queries.list(tenant, status, page, size);
    }

    /** Puts the job's services that did not complete back to work; 409 unless it failed or partially failed. */
    public Uni<JobRecord> retry(UUID jobId) {
        requireEnabled();
        registry.requireServices();
        return store.resetForRetry(jobId).chain(outcome -> switch (outcome.kind()) {
            case NOT_FOUND -> Uni.createFrom().failure(notFound());
            case NOT_ALLOWED -> Uni.createFrom().failure(new ApiException(409, "job_not_retryable",
                    "only a failed or partially_failed job can be retried"));
            case OTHER_JOB_ACTIVE -> Uni.createFrom().failure(new ApiException(409, "job_not_retryable",
                    "another deletion job of this tenant is scheduled, pending or running"));
            case ON_HOLD -> Uni.createFrom().failure(legalHold());
            case DONE -> {
                Log.infof("deletion job %s put back to pending for a retry", jobId);
                scheduler.startSoon(jobId);
                yield get(jobId);
            }
            default -> Uni.createFrom().failure(new IllegalStateException("a retry came to " + outcome));
        });
    }

    /** A scheduled job cancelled by {@code by}; 409 job_not_cancellable in any other status. */
    public Uni<JobRecord> cancel(UUID jobId, String by) {
        return store.cancel(jobId, by).chain(outcome -> switch (outcome.kind()) {
            case NOT_FOUND -> Uni.createFrom().failure(notFound());
            case DONE -> {
                Log.infof("deletion job %s cancelled by %s", jobId, by);
                metrics.jobCancelled();
                yield get(jobId);
            }
            default -> Uni.createFrom().failure(new ApiException(409, "job_not_cancellable",
                    "only a scheduled job can be cancelled"));
        });
    }

    /**
     * A scheduled job made pending now by {@code by}, for {@code reason}; 409 job_not_scheduled in any other
     * status, 409 legal_hold while a hold of the tenant is in force.
     */
    public Uni<JobRecord> executeNow(UUID jobId, String by, String reason) {
        requireEnabled();
        registry.requireServices();
        return store.executeNow(jobId, by, reason).chain(outcome -> switch (outcome.kind()) {
            case NOT_FOUND -> Uni.createFrom().failure(notFound());
            case NOT_ALLOWED -> Uni.createFrom().failure(new ApiException(409, "job_not_scheduled",
                    "only a scheduled job can be executed now"));
            case ON_HOLD -> Uni.createFrom().failure(legalHold());
            case DONE -> {
                Log.infof("deletion job %s executed now by %s (reason: %s)", jobId, by, reason);
                scheduler.startSoon(jobId);
                yield get(jobId);
            }
            default -> Uni.createFrom().failure(new IllegalStateException("execute-now came to " + outcome));
        });
    }

    private static ApiException legalHold() {
        return new ApiException(409, "legal_hold", "a legal hold of this tenant is in force: its data must not be deleted");
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw ApiErrors.deletionDisabled();
        }
    }

    private static ApiException notFound() {
        return ApiErrors.jobNotFound();
    }
}
