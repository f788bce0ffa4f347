package dev.tenantdeletion.deletion.engine;

/**
 * A summary plus, for a failed deletion, what kind of failure it was.
 *
 * @param failureKind null on success; {@code foreign_key_conflict} or {@code database_error} otherwise
 */
public record DeletionOutcome(DeletionSummary summary, String failureKind) {

    public static final String FOREIGN_KEY_CONFLICT = "foreign_key_conflict";
    public static final String DATABASE_ERROR = "database_error";

    public boolean succeeded() {
        return failureKind == null;
    }
}
