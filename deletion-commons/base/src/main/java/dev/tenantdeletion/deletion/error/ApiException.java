package dev.tenantdeletion.deletion.error;

/** An error with its HTTP status and the contract's error code; rendered as {"error","message"}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final transient Object summary;
    private final Long retryAfterSeconds;

    public ApiException(int status, String error, String message) {
        this(status, error, message, null);
    }

    /** An error whose body also carries the deletion summary (failed or conflicting deletions). */
    public ApiException(int status, String error, String message, Object summary) {
        this(status, error, message, summary, null);
    }

    private ApiException(int status, String error, String message, Object summary, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.error = error;
        this.summary = summary;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The same error, answered with a {@code Retry-After} header (whole seconds, at least 1). */
    public ApiException retryAfter(java.time.Duration wait) {
        return new ApiException(status, error, getMessage(), summary, Math.max(1L, (wait.toMillis() + 999) / 1000));
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

    /** Seconds for the Retry-After header; null for none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
