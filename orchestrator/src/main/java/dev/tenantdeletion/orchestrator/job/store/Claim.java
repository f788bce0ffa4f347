package dev.tenantdeletion.orchestrator.job.store;

import java.util.UUID;

/**
 * A job under a lease, from the claim to the finish or the lost lease. {@code leaseOwner} names the replica
 * and this very claim ({@code <replica>#<claim>}), so even a second claim by the same replica never shares a lease.
 */
public record Claim(UUID jobId, UUID tenantId, String leaseOwner) {
}
