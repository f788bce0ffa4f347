package dev.tenantdeletion.deletion.error;

/** An error with its HTTP status and the contract's error code; rendered as {"error","message"}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final transient Object summary;

    public ApiException(int status, String error, String message) {
        this(status, error, message, null);
    }

    /** An error whose body also carries the deletion summary (failed or conflicting deletions). */
    public ApiException(int status, String error, String message, Object summary) {
        super(message);
        this.status = status;
        this.error = error;
        this.summary = summary;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Object summary() {
        return summary;
    }
}
