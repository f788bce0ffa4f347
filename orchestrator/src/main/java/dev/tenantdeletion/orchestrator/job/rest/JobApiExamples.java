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
             "execute_after": null, "cancelled_at": null, "cancelled_by": null, "expedited_by": null, "blocked_by": null, "follows_job_id": null, "export_sha256": null,
             "services": [{"service": "pos-service", "status": "completed", "attempts": 1, "calls": 2, "items_expected": 127,
                           "deleted_counts": {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1},
                           "total_deleted": 127, "duration_ms": 41, "error": null, "verified": true}]}""";

    public static final String CREATE_WITH_GRACE_PERIOD = """
            {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "tenant_name": "Test Bakery", "reason": "contract ended",
             "grace_period": "P30D"}""";

    public static final String PENDING_JOB = """
            {"job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
             "tenant_name": "Test Bakery", "reason": "contract ended", "requested_by": "auth-service", "status": "pending",
             "created_at": "2026-11-26T12:00:00Z", "started_at": null, "completed_at": null,
             "services_total": 3, "services_completed": 0, "services_failed": 0, "total_items_deleted": 0,
             "items_expected": null, "verified": false,
             "execute_after": null, "cancelled_at": null, "cancelled_by": null, "expedited_by": null, "blocked_by": null, "follows_job_id": null, "export_sha256": null,
             "services": [{"service": "pos-service", "status": "pending", "attempts": 0, "calls": 0, "items_expected": null,
                           "deleted_counts": {}, "total_deleted": 0, "duration_ms": null, "error": null, "verified": false}]}""";

    public static final String SCHEDULED_JOB = """
            {"job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
             "tenant_name": "Test Bakery", "reason": "contract ended", "requested_by": "auth-service", "status": "scheduled",
             "created_at": "2026-11-26T12:00:00Z", "started_at": null, "completed_at": null,
             "services_total": 3, "services_completed": 0, "services_failed": 0, "total_items_deleted": 0,
             "items_expected": null, "verified": false,
             "execute_after": "2026-12-26T12:00:00Z", "cancelled_at": null, "cancelled_by": null, "expedited_by": null,
             "blocked_by": null, "follows_job_id": null, "export_sha256": null,
             "services": [{"service": "pos-service", "status": "pending", "attempts": 0, "calls": 0, "items_expected": null,
                           "deleted_counts": {}, "total_deleted": 0, "duration_ms": null, "error": null, "verified": false}]}""";

    public static final String CANCELLED_JOB = """
            {"job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
             "tenant_name": "Test Bakery", "reason": "contract ended", "requested_by": "auth-service", "status": "cancelled",
             "created_at": "2026-11-26T12:00:00Z", "started_at": null, "completed_at": null,
             "services_total": 3, "services_completed": 0, "services_failed": 0, "total_items_deleted": 0,
             "items_expected": null, "verified": false,
             "execute_after": "2026-12-26T12:00:00Z", "cancelled_at": "2026-11-28T09:30:00Z", "cancelled_by": "owner-4711",
             "expedited_by": null, "blocked_by": null, "follows_job_id": null, "export_sha256": null,
             "services": [{"service": "pos-service", "status": "pending", "attempts": 0, "calls": 0, "items_expected": null,
                           "deleted_counts": {}, "total_deleted": 0, "duration_ms": null, "error": null, "verified": false}]}""";

    public static final String EXECUTE_NOW = """
            {"reason": "customer confirmed in writing that the data may go now (ticket 8812)"}""";

    public static final String EXPEDITED_JOB = """
            {"job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
             "tenant_name": "Test Bakery", "reason": "contract ended", "requested_by": "auth-service", "status": "pending",
             "created_at": "2026-11-26T12:00:00Z", "started_at": null, "completed_at": null,
             "services_total": 3, "services_completed": 0, "services_failed": 0, "total_items_deleted": 0,
             "items_expected": null, "verified": false,
             "execute_after": "2026-12-26T12:00:00Z", "cancelled_at": null, "cancelled_by": null, "expedited_by": "auth-service",
             "blocked_by": null, "follows_job_id": null, "export_sha256": null,
             "services": [{"service": "pos-service", "status": "pending", "attempts": 0, "calls": 0, "items_expected": null,
                           "deleted_counts": {}, "total_deleted": 0, "duration_ms": null, "error": null, "verified": false}]}""";

    public static final String INVALID_GRACE_PERIOD = """
            {"error": "invalid_request", "message": "grace_period must be from PT0S to P90D, is P91D"}""";

    public static final String INVALID_REASON = """
            {"error": "invalid_request", "message": "reason is required (1 to 1000 characters)"}""";

    public static final String JOB_NOT_CANCELLABLE = """
            {"error": "job_not_cancellable", "message": "only a scheduled job can be cancelled"}""";

    public static final String JOB_NOT_SCHEDULED = """
            {"error": "job_not_scheduled", "message": "only a scheduled job can be executed now"}""";

    public static final String LEGAL_HOLD = """
            {"error": "legal_hold", "message": "a legal hold of this tenant is in force: its data must not be deleted"}""";

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

    public static final String FORBIDDEN = """
            {"error": "forbidden", "message": "a deletion job needs a service token or the owner of this tenant"}""";

    public static final String FORBIDDEN_EXECUTE_NOW = """
            {"error": "forbidden", "message": "executing a deletion job now needs scope deletion:admin, which this service token does not carry"}""";

    public static final String JOB_NOT_FOUND = """
            {"error": "job_not_found", "message": "no deletion job with this id"}""";

    public static final String JOB_NOT_RETRYABLE = """
            {"error": "job_not_retryable", "message": "only failed or partially_failed jobs can be retried; this one is completed"}""";

    public static final String NO_SERVICES_REGISTERED = """
            {"error": "no_services_registered", "message": "no service is registered (deletion.services.<name>.url, or every one has enabled=false): the orchestrator cannot delete or preview anything"}""";

    private JobApiExamples() {
    }
}
