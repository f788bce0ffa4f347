package dev.tenantdeletion.orchestrator.reverify.store;

import java.util.List;
import java.util.UUID;

/**
 * One page of the job store in tenant_id order: the erased tenants among its tenants, the last tenant id it read (the
 * next page starts after it; null when it read none) and whether it was the last page.
 */
public record ErasedPage(List<ErasedTenant> erased, UUID last, boolean end) {
}
