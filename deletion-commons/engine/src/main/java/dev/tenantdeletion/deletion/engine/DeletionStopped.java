package dev.tenantdeletion.deletion.engine;

/** Ends a deletion call with a classified failure; whatever committed before stays counted. */
final class DeletionStopped extends RuntimeException {

    private final DeletionFailure kind;

    DeletionStopped(DeletionFailure kind, String message) {
        this(kind, message, null);
    }

    DeletionStopped(DeletionFailure kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    DeletionFailure kind() {
        return kind;
    }
}
