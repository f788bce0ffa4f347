package dev.tenantdeletion.orchestrator.metrics;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.StatusCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deletion_jobs_current{status}} and {@code deletion_job_oldest_running_seconds}: the figures of the job store,
 * as the job runner's periodic gauge refresh last fed them ({@link #update}, every
 * {@code deletion.jobs.sweep-interval}); a scrape only reads the last ones and never waits for the database.
 * <p>
 * {@code deletion_jobs_current} is the third edition's name: the second edition's {@code deletion_jobs} collided with
 * the counter {@code deletion_jobs_total}'s OpenMetrics family. It is published by a collector of its own, next to
 * Micrometer's, which reads the figures without a Micrometer gauge per status.
 */
@ApplicationScoped
public class JobGauges {

    /** Every unsettled status: the gauge's label set follows the enum. */
    public static final List<JobStatus> UNSETTLED = JobStatus.unsettled();

    /**
     * The app's own Prometheus registry, not the global composite: that one outlives a Quarkus restart in the same
     * JVM (tests), and a gauge registered there again would still read the first app's instance.
     */
    private final PrometheusMeterRegistry prometheus;
    private final Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
    private volatile double oldestRunningSeconds;

    public JobGauges(PrometheusMeterRegistry prometheus) {
        this.prometheus = prometheus;
        UNSETTLED.forEach(status -> jobs.put(status, 0L));
    }

    void onStart(@Observes StartupEvent event) {
        prometheus.getPrometheusRegistry().register(new JobsCollector());
        Gauge.builder("deletion.job.oldest.running", this, gauges -> gauges.oldestRunningSeconds)
                .description("Age of the oldest running deletion job (since its current run was claimed), 0 when none runs")
                .baseUnit("seconds")
                .register(prometheus);
    }

    /** deletion_jobs_current{status}: one sample per unsettled status, from the last refresh. */
    private final class JobsCollector extends Collector implements Collector.Describable {

        @Override
        public List<MetricFamilySamples> collect() {
            GaugeMetricFamily family = new GaugeMetricFamily("deletion_jobs_current",
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

    /** The figures a scrape reads from now on: jobs by status (a status missing has none), the age of the oldest running job. */
    public void update(StatusCounts counts) {
        synchronized (jobs) {
            UNSETTLED.forEach(status -> jobs.put(status, counts.jobs().getOrDefault(status, 0L)));
        }
        this.oldestRunningSeconds = counts.oldestRunningSeconds();
    }
}
