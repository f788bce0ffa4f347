package dev.tenantdeletion.orchestrator.job.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /deletion-jobs/{jobId}/execute-now. Unknown fields are refused. */
public record ExecuteNowRequest(
        @Schema(required = true, minLength = 1, maxLength = 1000, description = "Why the grace period is cut short (kept with the job)")
        String reason) {
}
