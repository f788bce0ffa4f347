package dev.tenantdeletion.orchestrator.metrics;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The contract's orchestrator metrics. Labels are job status, service and outcome only: never a tenant
 * or job id, whose cardinality is unbounded.
 */
@ApplicationScoped
public class OrchestratorMetrics {

    private final MeterRegistry registry;
    private final ServiceRegistry services;

    public OrchestratorMetrics(MeterRegistry registry, ServiceRegistry services) {
        this.registry = registry;
        this.services = services;
    }

    /**
     * Publishes the final-status and per-service counters at 0 so dashboards and alerts see every series from
     * the start (a counter that appears at 1 hides its first increment from {@code increase()}).
     */
    void registerAtStartup(@Observes StartupEvent event) {
        for (JobStatus status : JobStatus.values()) {
            if (status.isSettled()) {
                jobsFinished(status.value());
            }
        }
        for (RegisteredService service : services.services()) {
            retries(service.name());
            timeouts(service.name());
            rowsDeleted(service.name());
        }
    }

    /** A job reached a final status (completed, partially_failed, failed) after running for {@code duration}. */
    public void jobFinished(String status, Duration duration) {
        jobsFinished(status).increment();
        Timer.builder("deletion.job.duration")
                .description("Duration of a deletion job run, from claim to final status")
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    /** A scheduled job cancelled: a final status reached without running, so no duration is recorded. */
    public void jobCancelled() {
        jobsFinished(JobStatus.CANCELLED.value()).increment();
    }

    /** One HTTP DELETE attempt to a service; outcome: success, client_error, server_error, timeout, connection_error, invalid_response. */
    public void serviceCall(String service, String outcome, Duration duration) {
        Timer.builder("deletion.service.call.duration")
                .description("Duration of one DELETE call (one attempt) to a service")
                .tags("service", service, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    /**
     * Rows a service reported deleted through a job, counted as the job store's total grows: a repeated answer
     * (the totals under the job's Idempotency-Key) adds only what is new.
     */
    public void rowsDeleted(String service, long rows) {
        if (rows > 0) {
            rowsDeleted(service).increment(rows);
        }
    }

    public void retry(String service) {
        retries(service).increment();
    }

    public void timeout(String service) {
        timeouts(service).increment();
    }

    private Counter retries(String service) {
        return Counter.builder("deletion.service.call.retries")
                .description("Service calls retried after a timeout, connection error or 5xx")
                .tag("service", service)
                .register(registry);
    }

    private Counter rowsDeleted(String service) {
        return Counter.builder("deletion.rows.deleted")
                .description("Rows the services reported deleted through deletion jobs")
                .tag("service", service)
                .register(registry);
    }

    private Counter jobsFinished(String status) {
        return Counter.builder("deletion.jobs")
                .description("Deletion jobs that reached a final status")
                .tag("status", status)
                .register(registry);
    }

    private Counter timeouts(String service) {
        return Counter.builder("deletion.service.call.timeouts")
                .description("Service call attempts that timed out")
                .tag("service", service)
                .register(registry);
    }
}
