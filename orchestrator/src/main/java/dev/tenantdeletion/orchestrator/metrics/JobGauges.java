package dev.tenantdeletion.orchestrator.metrics;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.StatusCounts;
import dev.tenantdeletion.orchestrator.registry.OrchestratorSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code deletion_jobs{status}} and {@code deletion_job_oldest_running_seconds}: read from the job store, so
 * every replica reports the same figures. One {@code group by status} query refreshes them in the background
 * every {@code deletion.jobs.sweep-interval}; a scrape only reads the last result and never waits for the
 * database. When a refresh fails the last figures stay (a warning says so) rather than dropping to zero.
 * <p>
 * {@code deletion_jobs} is published by a collector of its own, next to Micrometer's: the Prometheus registry
 * refuses a Micrometer gauge of that name because the counter {@code deletion_jobs_total} already claims
 * {@code deletion_jobs} as its OpenMetrics family name. In the classic text format, which the scrape endpoint
 * answers to every Accept header naming text/plain (Prometheus' default ones all do), the two are distinct
 * metrics, as the contract has them.
 */
@ApplicationScoped
public class JobGauges {

    /** Every unsettled status: the gauge's label set follows the enum. */
    static final List<JobStatus> UNSETTLED = JobStatus.unsettled();

    private final StatusCounts.Reader reader;
    /**
     * The app's own Prometheus registry, not the global composite: that one outlives a Quarkus restart in the same
     * JVM (tests), and a gauge registered there again would still read the first app's instance.
     */
    private final PrometheusMeterRegistry prometheus;
    private final Vertx vertx;
    private final OrchestratorSettings settings;
    private final Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
    private volatile double oldestRunningSeconds;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long timer = -1;

    public JobGauges(StatusCounts.Reader reader, PrometheusMeterRegistry prometheus, Vertx vertx, OrchestratorSettings settings) {
        this.reader = reader;
        this.prometheus = prometheus;
        this.vertx = vertx;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        for (JobStatus status : UNSETTLED) {
            synchronized (jobs) {
                jobs.put(status, 0L);
            }
        }
        prometheus.getPrometheusRegistry().register(new JobsCollector());
        Gauge.builder("deletion.job.oldest.running", this, gauges -> gauges.oldestRunningSeconds)
                .description("Age of the oldest running deletion job (since it first started), 0 when none runs")
                .baseUnit("seconds")
                .register(prometheus);
        refresh();
        timer = vertx.setPeriodic(Math.max(100, settings.jobs().sweepInterval().toMillis()), id -> refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** deletion_jobs{status}: one sample per unsettled status, from the last refresh. */
    private final class JobsCollector extends Collector implements Collector.Describable {

        @Override
        public List<MetricFamilySamples> collect() {
            GaugeMetricFamily family = new GaugeMetricFamily("deletion_jobs",
                    "Deletion jobs now in each non-final status, as stored in the job store", List.of("status"));
            UNSETTLED.forEach(status -> family.addMetric(List.of(status.value()), jobs(status)));
            return List.of(family);
        }

        /** Declares no names, so the registry does not set the family name of deletion_jobs_total against it. */
        @Override
        public List<MetricFamilySamples> describe() {
            return List.of();
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
        reader.statusCounts(UNSETTLED)
                .onTermination().invoke(() -> refreshing.set(false))
                .subscribe().with(this::update, failure -> Log.warnf(
                        "could not refresh the job gauges from the job store (they keep their last values): %s", failure.getMessage()));
    }

    /** The figures a scrape reads from now on. */
    public void update(StatusCounts counts) {
        synchronized (jobs) {
            UNSETTLED.forEach(status -> jobs.put(status, counts.jobs().getOrDefault(status, 0L)));
        }
        oldestRunningSeconds = counts.oldestRunningSeconds();
    }
}
