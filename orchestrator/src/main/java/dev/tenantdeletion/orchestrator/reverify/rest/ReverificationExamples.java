package dev.tenantdeletion.orchestrator.reverify.rest;

/** One example per answer of POST /api/v1/reverifications, for the OpenAPI description. */
final class ReverificationExamples {

    static final String SWEEP = """
            {"checked_tenants": 1520, "services": ["alert-processor", "external-service", "pos-service"], "failed_services": [],
             "reappeared": [{"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "service": "pos-service", "rows": 12,
                             "tables": {"pos_transactions": 10, "pos_sessions": 2},
                             "follow_up_job_id": "9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"}],
             "follow_up_jobs": ["9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"]}""";

    static final String FORBIDDEN = """
            {"error": "forbidden", "message": "re-verification needs a service token with scope deletion:admin"}""";

    static final String IN_PROGRESS = """
            {"error": "reverification_in_progress", "message": "a re-verification sweep is running (on this or another replica): ask again when it has ended"}""";

    static final String NO_SERVICES = """
            {"error": "no_services_registered", "message": "no service is registered: the orchestrator cannot delete or preview anything"}""";

    private ReverificationExamples() {
    }
}
