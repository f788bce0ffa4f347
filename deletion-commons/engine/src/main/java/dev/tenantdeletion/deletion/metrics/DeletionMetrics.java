package dev.tenantdeletion.deletion.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The contract's service metrics. Labels are service, table, outcome and kind only: never a tenant
 * id, whose cardinality is unbounded.
 */
@ApplicationScoped
public class DeletionMetrics {

    private final MeterRegistry registry;
    private final String service;

    public DeletionMetrics(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.registry = registry;
        this.service = service;
    }

    public void rowsDeleted(Map<String, Long> countsByTable) {
        countsByTable.forEach((table, rows) -> Counter.builder("tenant.deletion.rows.deleted")
                .description("Rows deleted by tenant deletions")
                .tags("service", service, "table", table)
                .register(registry)
                .increment(rows));
    }

    public void deletionFinished(String outcome, Duration duration) {
        Timer.builder("tenant.deletion.duration")
                .description("Duration of tenant deletions")
                .tags("service", service, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    public void previewFinished(Duration duration) {
        Timer.builder("tenant.deletion.preview.duration")
                .description("Duration of tenant deletion previews")
                .tags("service", service)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    /** The kind of a failed preview. */
    public static final String PREVIEW_ERROR = "preview_error";

    public void failure(String kind) {
        failures(kind).increment();
    }

    /** The counter of this kind, at 0 until the first failure. */
    void publishFailureKind(String kind) {
        failures(kind);
    }

    private Counter failures(String kind) {
        return Counter.builder("tenant.deletion.failures")
                .description("Failed tenant deletions and previews by kind")
                .tags("service", service, "kind", kind)
                .register(registry);
    }
}
