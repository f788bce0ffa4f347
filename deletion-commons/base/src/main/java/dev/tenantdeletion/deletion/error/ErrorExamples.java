package dev.tenantdeletion.deletion.error;

/** Examples of the answers every app shares (tenant id, token and access errors, the feature flag), for OpenAPI. */
public final class ErrorExamples {

    public static final String TENANT = "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b";

    public static final String DELETION_IN_PROGRESS = """
            {"error": "deletion_in_progress", "message": "another deletion of this tenant holds its lock; not obtained within 5000 ms"}""";

    public static final String INVALID_TENANT_ID = """
            {"error": "invalid_tenant_id", "message": "tenant id must be a UUID in canonical form, e.g. 3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b"}""";

    public static final String UNAUTHORIZED = """
            {"error": "unauthorized", "message": "a valid bearer token (RS256, right issuer, not expired) is required"}""";

    public static final String FORBIDDEN = """
            {"error": "forbidden", "message": "deleting tenant data needs a service token"}""";

    public static final String DELETION_DISABLED = """
            {"error": "deletion_disabled", "message": "tenant deletion is disabled (DELETION_ENABLED=false)"}""";

    private ErrorExamples() {
    }
}
