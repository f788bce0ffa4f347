package dev.tenantdeletion.deletion.metrics;

import dev.tenantdeletion.deletion.engine.DeletionFailure;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Publishes every {@code tenant_deletion_failures_total} kind at 0 when a service starts: a counter that only
 * appears at its first failure hides that failure from {@code increase()}, and so from the alerts.
 */
@ApplicationScoped
public class FailureKindsAtStartup {

    private final DeletionMetrics metrics;

    public FailureKindsAtStartup(DeletionMetrics metrics) {
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        metrics.publishFailureKind(DeletionMetrics.PREVIEW_ERROR);
        for (DeletionFailure failure : DeletionFailure.values()) {
            metrics.publishFailureKind(failure.metricKind());
        }
    }
}
