package dev.tenantdeletion.deletion.metrics;

import dev.tenantdeletion.deletion.engine.DeletionFailure;
import dev.tenantdeletion.deletion.engine.DeletionObserver;
import dev.tenantdeletion.deletion.engine.ForeignKeyMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The contract's service metrics. Labels are service, table, outcome, kind and mode only: never a tenant
 * id, whose cardinality is unbounded.
 */
@ApplicationScoped
public class DeletionMetrics implements DeletionObserver {

    /** The kind of a failed preview. */
    public static final String PREVIEW_ERROR = "preview_error";

    private final MeterRegistry registry;
    private final String service;
    private final AtomicReference<ForeignKeyMode> lastMode = new AtomicReference<>();

    public DeletionMetrics(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.registry = registry;
        this.service = service;
    }

    @Override
    public void rowsDeleted(Map<String, Long> countsByTable) {
        countsByTable.forEach((table, rows) -> Counter.builder("tenant.deletion.rows.deleted")
                .description("Rows deleted by tenant deletions")
                .tags("service", service, "table", table)
                .register(registry)
                .increment(rows));
    }

    @Override
    public void deletionFinished(String outcome, Duration duration) {
        Timer.builder("tenant.deletion.duration")
                .description("Duration of tenant deletions")
                .tags("service", service, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    @Override
    public void previewFinished(Duration duration) {
        Timer.builder("tenant.deletion.preview.duration")
                .description("Duration of tenant deletion previews")
                .tags("service", service)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    @Override
    public void previewFailed() {
        failures(PREVIEW_ERROR).increment();
    }

    @Override
    public void deletionFailed(DeletionFailure failure) {
        failures(failure.metricKind()).increment();
    }

    /** The gauges appear with the first evaluation, one per mode, 1 for the mode in use. */
    @Override
    public void foreignKeyMode(ForeignKeyMode mode) {
        if (lastMode.getAndSet(mode) == null) {
            for (ForeignKeyMode each : ForeignKeyMode.values()) {
                Gauge.builder("tenant.deletion.fk.check.mode", lastMode, m -> m.get() == each ? 1 : 0)
                        .description("The foreign-key check mode of the last evaluation (1 = in use): fast or triggers")
                        .tags("service", service, "mode", each.label())
                        .register(registry);
            }
        }
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
