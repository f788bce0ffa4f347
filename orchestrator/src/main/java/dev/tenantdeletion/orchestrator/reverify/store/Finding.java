package dev.tenantdeletion.orchestrator.reverify.store;

import java.util.Map;
import java.util.UUID;

/**
 * An erased tenant found with rows in a service: the rows per table, the job that had erased it, and the follow-up
 * job it got (null when none was created: the tenant had meanwhile got another job).
 */
public record Finding(UUID tenantId, String service, Map<String, Long> counts, UUID erasedBy, UUID followUpJobId) {

    public long rows() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public Finding withFollowUp(UUID jobId) {
        return new Finding(tenantId, service, counts, erasedBy, jobId);
    }
}
