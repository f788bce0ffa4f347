package dev.tenantdeletion.deletion.error;

/** The errors that more than one endpoint answers, built in one place so their code and message never drift apart. */
public final class ApiErrors {

    private ApiErrors() {
    }

    /** 503 deletion_disabled: DELETION_ENABLED=false (a service's DELETE; the orchestrator's create, retry, execute-now). */
    public static ApiException deletionDisabled() {
        return new ApiException(503, "deletion_disabled", "tenant deletion is disabled (DELETION_ENABLED=false)");
    }

    /** 404 job_not_found: the orchestrator knows no job with this id (or the id is not a UUID, which names none). */
    public static ApiException jobNotFound() {
        return new ApiException(404, "job_not_found", "no deletion job with this id");
    }
}
