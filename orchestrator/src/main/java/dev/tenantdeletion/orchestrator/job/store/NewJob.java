package dev.tenantdeletion.orchestrator.job.store;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A new job requested by someone for a tenant. {@code executeAfter} (an instant) or {@code gracePeriod}
 * (from now, as the database tells time) makes it {@code scheduled}; neither, a zero grace period or an
 * instant already past makes it {@code pending} at once.
 */
public record NewJob(UUID tenantId, String tenantName, String reason, String requestedBy, Instant executeAfter,
        Duration gracePeriod, String exportSha256) {

    public NewJob(UUID tenantId, String tenantName, String reason, String requestedBy, Instant executeAfter, Duration gracePeriod) {
        this(tenantId, tenantName, reason, requestedBy, executeAfter, gracePeriod, null);
    }

    /** The same job with another grace period. */
    public NewJob withGracePeriod(Duration grace) {
        return new NewJob(tenantId, tenantName, reason, requestedBy, executeAfter, grace, exportSha256);
    }

    public NewJob(UUID tenantId, String tenantName, String reason, String requestedBy) {
        this(tenantId, tenantName, reason, requestedBy, null, null);
    }
}
