package dev.tenantdeletion.orchestrator.hold.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of PUT /tenants/{tenantId}/legal-hold. Unknown fields are refused. */
public record PlaceHoldRequest(
        @Schema(required = true, minLength = 1, maxLength = 1000, description = "Why the tenant's data must be kept (kept in the audit record)")
        String reason,
        @Schema(description = "ISO-8601 instant with a zone or offset, in the future: the hold ends by itself then; null: until lifted",
                nullable = true, example = "2027-06-30T00:00:00Z") String until) {
}
