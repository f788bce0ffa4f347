package dev.tenantdeletion.orchestrator.metrics;

import dev.tenantdeletion.orchestrator.job.store.JobStatus;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.JobStore.StatusCounts;
import dev.tenantdeletion.orchestrator.registry.OrchestratorSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code deletion_jobs{status}} and {@code deletion_job_oldest_running_seconds}: read from the job store, so
 * every replica reports the same figures. One {@code group by status} query refreshes them in the background
 * every {@code deletion.jobs.sweep-interval}; a scrape only reads the last result and never waits for the
 * database. When a refresh fails the last figures stay (a warning says so) rather than dropping to zero.
 */
@ApplicationScoped
public class JobGauges {

    /** Every status a job can still leave: the gauge's label set follows the enum. */
    static final List<JobStatus> NON_FINAL = Arrays.stream(JobStatus.values()).filter(JobStatus::active).toList();

    private final JobStore store;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final OrchestratorSettings settings;
    private final Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
    private volatile double oldestRunningSeconds;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long timer = -1;

    public JobGauges(JobStore store, MeterRegistry registry, Vertx vertx, OrchestratorSettings settings) {
        this.store = store;
        this.registry = registry;
        this.vertx = vertx;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        for (JobStatus status : NON_FINAL) {
            synchronized (jobs) {
                jobs.put(status, 0L);
            }
            Gauge.builder("deletion.jobs", this, gauges -> gauges.jobs(status))
                    .description("Deletion jobs now in each non-final status, as stored in the job store")
                    .tag("status", status.value())
                    .register(registry);
        }
        Gauge.builder("deletion.job.oldest.running", this, gauges -> gauges.oldestRunningSeconds)
                .description("Age of the oldest running deletion job (since it first started), 0 when none runs")
                .baseUnit("seconds")
                .register(registry);
        refresh();
        timer = vertx.setPeriodic(Math.max(100, settings.jobs().sweepInterval().toMillis()), id -> refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private double jobs(JobStatus status) {
        synchronized (jobs) {
            return jobs.getOrDefault(status, 0L);
        }
    }

    /** One query at a time: a slow database makes refreshes rarer, never piles them up. */
    void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        store.statusCounts(NON_FINAL)
                .onTermination().invoke(() -> refreshing.set(false))
                .subscribe().with(this::update, failure -> Log.warnf(
                        "could not refresh the job gauges from the job store (they keep their last values): %s", failure.getMessage()));
    }

    private void update(StatusCounts counts) {
        synchronized (jobs) {
            NON_FINAL.forEach(status -> jobs.put(status, counts.jobs().getOrDefault(status, 0L)));
        }
        oldestRunningSeconds = counts.oldestRunningSeconds();
    }
}
