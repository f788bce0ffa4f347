package dev.tenantdeletion.orchestrator.job.rest;

import static dev.tenantdeletion.orchestrator.job.rest.RequestInput.invalid;

import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.orchestrator.job.service.JobService;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A create request's fields, checked (400 invalid_request / invalid_tenant_id): tenant_name and reason are optional,
 * and when given follow {@link RequestInput}'s rules for names and reasons (execute-now's reason rule).
 */
record JobInput(UUID tenant, String tenantName, String reason, Instant executeAfter, Duration grace, String exportSha256) {

    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    static JobInput parse(CreateJobRequest body) {
        if (body == null) {
            throw invalid("a JSON body {\"tenant_id\": \"...\", \"tenant_name\": \"...\", \"reason\": \"...\"} is required");
        }
        if (body.tenantId() == null) {
            throw invalid("tenant_id is required");
        }
        UUID tenant = TenantIds.parse(body.tenantId());
        String tenantName = RequestInput.name("tenant_name", body.tenantName());
        String reason = RequestInput.optionalReason(body.reason());
        if (body.gracePeriod() != null && body.executeAfter() != null) {
            throw invalid("give grace_period or execute_after, not both");
        }
        Duration grace = body.gracePeriod() == null ? null : RequestInput.gracePeriod(body.gracePeriod());
        Instant executeAfter = body.executeAfter() == null ? null : RequestInput.instant("execute_after", body.executeAfter());
        if (executeAfter != null && executeAfter.isAfter(Instant.now().plus(JobService.MAX_GRACE_PERIOD))) {
            throw invalid("execute_after must be at most P90D ahead, is " + executeAfter);
        }
        String exportSha256 = body.exportSha256();
        if (exportSha256 != null && !SHA256.matcher(exportSha256).matches()) {
            throw invalid("export_sha256 must be the 64 hex digits of a sha256 (of the export's manifest.json)");
        }
        return new JobInput(tenant, tenantName, reason, executeAfter, grace,
                exportSha256 == null ? null : exportSha256.toLowerCase(java.util.Locale.ROOT));
    }
}
