package dev.tenantdeletion.orchestrator.hold.rest;

import dev.tenantdeletion.orchestrator.hold.store.LegalHoldStore.Hold;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A legal hold as the contract shows it. */
@RegisterForReflection
@Schema(description = "A legal hold: while it is in force no deletion job of the tenant is created, retried or started")
public record LegalHoldView(UUID tenantId, String reason,
        @Schema(description = "When the hold ends by itself; null: until lifted", nullable = true) Instant until,
        @Schema(description = "Who placed it (the token's sub)") String placedBy, Instant placedAt) {

    public static LegalHoldView of(Hold hold) {
        return new LegalHoldView(hold.tenantId(), hold.reason(), hold.until(), hold.placedBy(), hold.placedAt());
    }
}
