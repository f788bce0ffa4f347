package dev.tenantdeletion.orchestrator.reverify.service;

import dev.tenantdeletion.orchestrator.reverify.store.Finding;
import java.util.List;
import java.util.UUID;

/**
 * What one sweep did: the erased tenants it checked (the most any one service checked: a sweep run for every service
 * checks each erased tenant once per service), the services it swept, those whose deletion check failed (their pass
 * stays under way and the next sweep continues it), what it found and the follow-up jobs it created.
 */
public record SweepReport(long checkedTenants, List<String> services, List<String> failedServices, List<Finding> reappeared,
        List<UUID> followUpJobs) {
}
