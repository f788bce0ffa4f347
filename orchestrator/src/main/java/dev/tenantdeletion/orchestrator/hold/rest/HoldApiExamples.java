package dev.tenantdeletion.orchestrator.hold.rest;

/** One example per legal-hold answer, for the OpenAPI description. */
public final class HoldApiExamples {

    public static final String TENANT_ID = "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b";

    public static final String PLACE = """
            {"reason": "litigation hold: case 2026-CV-0142, keep all records", "until": null}""";

    public static final String HOLD = """
            {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "reason": "litigation hold: case 2026-CV-0142, keep all records",
             "until": null, "placed_by": "legal-service", "placed_at": "2026-11-27T08:15:00Z"}""";

    public static final String NOT_FOUND = """
            {"error": "legal_hold_not_found", "message": "no legal hold of this tenant is in force"}""";

    public static final String DELETION_IN_PROGRESS = """
            {"error": "deletion_in_progress", "message": "a deletion job of this tenant is pending or running: a hold cannot stop it halfway"}""";

    public static final String FORBIDDEN = """
            {"error": "forbidden", "message": "placing a legal hold needs a service token with scope deletion:admin"}""";

    public static final String FORBIDDEN_NO_SCOPE = """
            {"error": "forbidden", "message": "placing a legal hold needs scope deletion:admin, which this service token does not carry"}""";

    public static final String FORBIDDEN_READ = """
            {"error": "forbidden", "message": "a tenant's legal hold needs a service token or an owner/admin of the tenant"}""";

    private HoldApiExamples() {
    }
}
