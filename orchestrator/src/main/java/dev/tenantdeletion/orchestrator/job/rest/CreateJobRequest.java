package dev.tenantdeletion.orchestrator.job.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST /deletion-jobs; the tenant id is checked by the resource (400 invalid_tenant_id), the
 * grace period and instant by {@link RequestInput} (400 invalid_request). Unknown fields are refused.
 */
public record CreateJobRequest(
        @Schema(required = true, description = "The tenant to delete (canonical UUID)") String tenantId,
        String tenantName,
        String reason,
        @Schema(description = "ISO-8601 duration from PT0S to P90D: the job is scheduled and runs when it has passed "
                + "(default: deletion.jobs.default-grace-period). Not together with execute_after.", example = "P30D",
                nullable = true) String gracePeriod,
        @Schema(description = "ISO-8601 instant with a zone or offset: the job is scheduled until then (at most P90D ahead; "
                + "an instant already past starts it at once). Not together with grace_period.", example = "2026-12-31T00:00:00Z",
                nullable = true) String executeAfter) {
}
