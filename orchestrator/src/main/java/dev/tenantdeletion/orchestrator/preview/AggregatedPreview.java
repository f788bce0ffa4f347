package dev.tenantdeletion.orchestrator.preview;

import java.util.List;
import java.util.Map;

/** GET /tenants/{tenantId}/deletion-preview: every available service's counts; the others in {@code unavailable}. */
public record AggregatedPreview(String tenantId, Map<String, ServicePreview> services, long totalItems,
        List<String> unavailable) {

    public record ServicePreview(Map<String, Long> dataCounts, long totalItems) {
    }
}
