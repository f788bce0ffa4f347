package dev.tenantdeletion.orchestrator.job.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST /deletion-jobs; the tenant id is checked by the resource (400 invalid_tenant_id), the
 * name, reason, grace period and instant by {@link RequestInput} (400 invalid_request). Unknown fields are refused.
 */
public record CreateJobRequest(
        @Schema(required = true, description = "The tenant to delete (canonical UUID)") String tenantId,
        @Schema(maxLength = 255, description = "Shown with the job; one line, no control characters", nullable = true) String tenantName,
        @Schema(maxLength = 1000, description = "Why the tenant is deleted (kept with the job and in its certificate); like "
                + "execute-now's reason: not blank, no NUL or control characters except tab and line breaks", nullable = true) String reason,
        @Schema(description = "ISO-8601 duration from PT0S to P90D: the job is scheduled and runs when it has passed "
                + "(default: deletion.jobs.default-grace-period). Not together with execute_after.", example = "P30D",
                nullable = true) String gracePeriod,
        @Schema(description = "ISO-8601 instant with a zone or offset: the job is scheduled until then (at most P90D ahead; "
                + "an instant already past starts it at once). Not together with grace_period.", example = "2026-12-31T00:00:00Z",
                nullable = true) String executeAfter,
        @Schema(description = "The sha256 (64 hex digits) of the manifest.json of the export handed over before the deletion "
                + "(GET /api/v1/tenants/{tenantId}/export): recorded with the job and signed into its certificate",
                pattern = "^[0-9a-fA-F]{64}$", nullable = true) String exportSha256) {
}
