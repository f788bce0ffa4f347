package dev.tenantdeletion.orchestrator.job.rest;

/** Body of POST /deletion-jobs; the tenant id is checked by the resource (400 invalid_tenant_id). */
public record CreateJobRequest(String tenantId, String tenantName, String reason) {
}
