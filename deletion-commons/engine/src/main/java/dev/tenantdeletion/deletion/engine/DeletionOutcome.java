package dev.tenantdeletion.deletion.engine;

/**
 * A summary plus, for a failed call, why it failed.
 *
 * @param failure null on success
 * @param message what went wrong (null on success): the answer's message
 */
public record DeletionOutcome(DeletionSummary summary, DeletionFailure failure, String message) {

    public static DeletionOutcome succeeded(DeletionSummary summary) {
        return new DeletionOutcome(summary, null, null);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
