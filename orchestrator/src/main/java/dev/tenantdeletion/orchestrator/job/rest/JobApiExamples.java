package dev.tenantdeletion.orchestrator.job.rest;

/** One example per orchestrator answer, for the OpenAPI description. */
public final class JobApiExamples {

    public static final String JOB_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    public static final String CREATE = """
            {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "tenant_name": "Test Bakery", "reason": "contract ended"}""";

    public static final String JOB = """
            {"job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
             "tenant_name": "Test Bakery", "reason": "contract ended", "requested_by": "auth-service", "status": "completed",
             "created_at": "2026-11-26T12:00:00Z", "started_at": "2026-11-26T12:00:00.050Z", "completed_at": "2026-11-26T12:00:01.200Z",
             "services_total": 3, "services_completed": 3, "services_failed": 0, "total_items_deleted": 127,
             "items_expected": 127, "verified": true,
             "execute_after": null, "cancelled_at": null, "cancelled_by": null, "expedited_by": null,
             "services": [{"service": "pos-service", "status": "completed", "attempts": 1, "calls": 2, "items_expected": 127,
                           "deleted_counts": {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1},
                           "total_deleted": 127, "duration_ms": 41, "error": null, "verified": true}]}""";

    public static final String LIST = """
            {"items": [{"job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
                        "status": "partially_failed", "services_total": 3, "services_completed": 2, "services_failed": 1,
                        "total_items_deleted": 97, "items_expected": 97, "verified": false, "services": []}],
             "page": 0, "size": 20, "total": 57}""";

    public static final String INVALID_REQUEST = """
            {"error": "invalid_request", "message": "tenant_id is required"}""";

    public static final String INVALID_PAGING = """
            {"error": "invalid_paging", "message": "size must be an integer from 1 to 100"}""";

    public static final String UNSUPPORTED_MEDIA_TYPE = """
            {"error": "unsupported_media_type", "message": "the body must be application/json"}""";

    public static final String JOB_NOT_FOUND = """
            {"error": "job_not_found", "message": "no deletion job with this id"}""";

    public static final String JOB_NOT_RETRYABLE = """
            {"error": "job_not_retryable", "message": "only failed or partially_failed jobs can be retried; this one is completed"}""";

    public static final String DELETION_DISABLED = """
            {"error": "deletion_disabled", "message": "tenant deletion is disabled (DELETION_ENABLED=false)"}""";

    public static final String NO_SERVICES_REGISTERED = """
            {"error": "no_services_registered", "message": "no service is registered (deletion.services.<name>.url, or every one has enabled=false): the orchestrator cannot delete or preview anything"}""";

    private JobApiExamples() {
    }
}
