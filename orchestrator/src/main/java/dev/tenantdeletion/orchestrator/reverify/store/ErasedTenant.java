package dev.tenantdeletion.orchestrator.reverify.store;

import java.util.UUID;

/** A tenant whose most recent job is completed, and that job: the one a follow-up job follows. */
public record ErasedTenant(UUID tenantId, UUID erasedBy) {
}
