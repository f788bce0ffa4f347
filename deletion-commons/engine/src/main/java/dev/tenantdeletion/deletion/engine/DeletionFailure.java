package dev.tenantdeletion.deletion.engine;

/** Why a DELETE call did not succeed: the answer's status and error code, and the failure metric's kind. */
public enum DeletionFailure {
    /** A row of another tenant references this tenant's rows (checked, not guessed). Not retryable as such. */
    FOREIGN_KEY_CONFLICT(409, "foreign_key_conflict", "foreign_key_conflict"),
    /** The database failed, or the tenant's own writes kept breaking the deletion. Retryable. */
    DATABASE_ERROR(500, "deletion_failed", "database_error"),
    /** Another call holds the tenant's deletion lock, or a newer call under the same key took over. Retryable. */
    DELETION_IN_PROGRESS(503, "deletion_in_progress", "deletion_in_progress"),
    /** The plan does not cover the schema: deleting would report complete while tenant rows remain. */
    COVERAGE_FAILED(503, "coverage_failed", "coverage_failed"),
    /** The Idempotency-Key was first used for another tenant. */
    IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused", "idempotency_key_reused");

    private final int status;
    private final String error;
    private final String metricKind;

    DeletionFailure(int status, String error, String metricKind) {
        this.status = status;
        this.error = error;
        this.metricKind = metricKind;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String metricKind() {
        return metricKind;
    }
}
