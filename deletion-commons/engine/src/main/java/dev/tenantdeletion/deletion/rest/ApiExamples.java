package dev.tenantdeletion.deletion.rest;

/** One example per answer of the service API that is the engine's own, for the OpenAPI description (shared ones: ErrorExamples). */
public final class ApiExamples {

    public static final String PREVIEW = """
            {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "service": "pos-service",
             "data_counts": {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1},
             "total_items": 127, "retained": {}}""";

    public static final String DELETED = """
            {"message": "Tenant data deletion completed in pos-service",
             "summary": {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "service_name": "pos-service",
                         "deleted_counts": {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1},
                         "total_deleted": 127, "complete": true, "errors": [], "success": true, "duration_ms": 41}}""";

    public static final String DELETED_PARTIALLY = """
            {"message": "Tenant data deletion completed in pos-service",
             "summary": {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "service_name": "pos-service",
                         "deleted_counts": {"pos_transactions": 415000, "pos_sessions": 0, "pos_devices": 0, "pos_configurations": 0},
                         "total_deleted": 415000, "complete": false, "errors": [], "success": true, "duration_ms": 2031}}""";

    public static final String INVALID_PARAMETER = """
            {"error": "invalid_parameter", "message": "max_duration_ms must be a whole number of milliseconds from 100 to 600000"}""";

    public static final String IDEMPOTENCY_KEY_REUSED = """
            {"error": "idempotency_key_reused",
             "message": "this Idempotency-Key was first used for another tenant; use a new key per tenant and service"}""";

    public static final String COVERAGE_FAILED = """
            {"error": "coverage_failed",
             "message": "the deletion plan does not cover the schema, so nothing is deleted: table pos_refunds has a tenant_id column but is not in the deletion plan"}""";

    public static final String EXPORT_FAILED = """
            {"error": "export_failed", "message": "the export could not be read from the database"}""";

    public static final String PREVIEW_FAILED = """
            {"error": "preview_failed", "message": "the deletion preview could not be computed: the database did not answer as expected"}""";

    public static final String FOREIGN_KEY_CONFLICT = """
            {"error": "foreign_key_conflict",
             "message": "foreign key conflict: rows outside this deletion in table pos_devices reference the tenant's rows in pos_configurations (constraint pos_devices_configuration_id_fkey)",
             "summary": {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "service_name": "pos-service",
                         "deleted_counts": {"pos_transactions": 0, "pos_sessions": 0, "pos_devices": 0, "pos_configurations": 0},
                         "total_deleted": 0, "complete": false,
                         "errors": ["foreign key conflict: rows outside this deletion in table pos_devices reference the tenant's rows in pos_configurations (constraint pos_devices_configuration_id_fkey)"],
                         "success": false, "duration_ms": 12}}""";

    public static final String DELETION_FAILED = """
            {"error": "deletion_failed", "message": "deletion failed: statement timeout",
             "summary": {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "service_name": "pos-service",
                         "deleted_counts": {"pos_transactions": 0, "pos_sessions": 0, "pos_devices": 0, "pos_configurations": 0},
                         "total_deleted": 0, "complete": false, "errors": ["deletion failed: statement timeout"],
                         "success": false, "duration_ms": 60004}}""";

    public static final String CHECK_REQUEST = """
            {"tenant_ids": ["3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"]}""";

    public static final String CHECKED = """
            {"service": "pos-service",
             "tenants": {"3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b":
                         {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1}}}""";

    public static final String CHECK_INVALID_REQUEST = """
            {"error": "invalid_request", "message": "tenant_ids[3] is not a UUID in canonical form, e.g. 3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b"}""";

    public static final String CHECK_FORBIDDEN = """
            {"error": "forbidden", "message": "the deletion check needs a service token"}""";

    public static final String CHECK_FAILED = """
            {"error": "deletion_check_failed", "message": "the deletion check could not be computed: the database did not answer as expected"}""";

    private ApiExamples() {
    }
}
