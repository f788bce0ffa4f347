package dev.tenantdeletion.orchestrator.job.rest;

import static dev.tenantdeletion.orchestrator.job.rest.RequestInput.invalid;

import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.orchestrator.job.service.JobService;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A create request's fields, checked (400 invalid_request / invalid_tenant_id). */
record JobInput(UUID tenant, String tenantName, String reason, Instant executeAfter, Duration grace) {

    private static final int MAX_NAME = 255;
    private static final int MAX_REASON = 2000;

    static JobInput parse(CreateJobRequest body) {
        if (body == null) {
            throw invalid("a JSON body {\"tenant_id\": \"...\", \"tenant_name\": \"...\", \"reason\": \"...\"} is required");
        }
        if (body.tenantId() == null) {
            throw invalid("tenant_id is required");
        }
        UUID tenant = TenantIds.parse(body.tenantId());
        if (body.tenantName() != null && body.tenantName().length() > MAX_NAME) {
            throw invalid("tenant_name is longer than " + MAX_NAME + " characters");
        }
        if (body.reason() != null && body.reason().length() > MAX_REASON) {
            throw invalid("reason is longer than " + MAX_REASON + " characters");
        }
        if (body.gracePeriod() != null && body.executeAfter() != null) {
            throw invalid("give grace_period or execute_after, not both");
        }
        Duration grace = body.gracePeriod() == null ? null : RequestInput.gracePeriod(body.gracePeriod());
        Instant executeAfter = body.executeAfter() == null ? null : RequestInput.instant("execute_after", body.executeAfter());
        if (executeAfter != null && executeAfter.isAfter(Instant.now().plus(JobService.MAX_GRACE_PERIOD))) {
            throw invalid("execute_after must be at most P90D ahead, is " + executeAfter);
        }
        return new JobInput(tenant, body.tenantName(), body.reason(), executeAfter, grace);
    }
}
