package dev.tenantdeletion.orchestrator.fanout;

import java.time.Duration;
import java.util.Map;

/** Why one HTTP call to a service failed, and whether trying again can help. */
public final class CallFailure extends RuntimeException {

    public enum Kind {
        /** No answer within the service's timeout (connecting included). Retried. */
        TIMEOUT("timeout", true),
        /** Refused, reset or unreachable. Retried. */
        CONNECTION("connection_error", true),
        /** 5xx. Retried. */
        SERVER_ERROR("server_error", true),
        /** 4xx (409 foreign_key_conflict, 422 idempotency_key_reused, 401/403...): retrying cannot help. Never retried. */
        CLIENT_ERROR("client_error", false),
        /** A 2xx/3xx answer that is not the contract's JSON. Not retried. */
        INVALID_RESPONSE("invalid_response", false);

        private final String outcome;
        private final boolean retryable;

        Kind(String outcome, boolean retryable) {
            this.outcome = outcome;
            this.retryable = retryable;
        }

        public String outcome() {
            return outcome;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final Map<String, Long> partiallyDeleted;
    private final String receipt;
    private final Duration retryAfter;
    private final String detail;
    /** The service is (for now) not there to answer: see {@link #unavailable()}. */
    private final boolean unavailable;

    public CallFailure(Kind kind, String message) {
        this(kind, message, Map.of(), null);
    }

    public CallFailure(Kind kind, String message, Map<String, Long> partiallyDeleted, Throwable cause) {
        this(kind, message, partiallyDeleted, null, cause);
    }

    /**
     * @param partiallyDeleted rows a failed DELETE reports as deleted anyway (a batched service commits
     *        batch by batch; with an Idempotency-Key these are the totals of every call under the key)
     * @param retryAfter the service's {@code Retry-After} (503 deletion_in_progress), null when it gave none
     */
    public CallFailure(Kind kind, String message, Map<String, Long> partiallyDeleted, Duration retryAfter, Throwable cause) {
        this(kind, message, partiallyDeleted, null, retryAfter, cause);
    }

    /** @param receipt the receipt {@code partiallyDeleted} are the totals of ({@link DeleteAnswer#receipt}), null when none was named */
    public CallFailure(Kind kind, String message, Map<String, Long> partiallyDeleted, String receipt, Duration retryAfter, Throwable cause) {
        this(kind, message, partiallyDeleted, receipt, retryAfter, cause, null);
    }

    /**
     * @param message what the job records ({@code services[].error}), read by the tenant's owners and admins: stable
     *        words, nothing the service or the network said verbatim
     * @param detail what only the log line carries (the service's raw body, the exception's text); null: none
     */
    public CallFailure(Kind kind, String message, Map<String, Long> partiallyDeleted, String receipt, Duration retryAfter,
            Throwable cause, String detail) {
        this(kind, message, partiallyDeleted, receipt, retryAfter, cause, detail, kind == Kind.TIMEOUT || kind == Kind.CONNECTION);
    }

    /**
     * @param unavailable the service is not there to answer for now (a restart, a rolling deploy): no connection, no answer
     *        in time, or an answer of 502/503/504. Such failures are retried for the whole retry horizon, not only
     *        {@code deletion.retry.max-attempts} times.
     */
    public CallFailure(Kind kind, String message, Map<String, Long> partiallyDeleted, String receipt, Duration retryAfter,
            Throwable cause, String detail, boolean unavailable) {
        super(message, cause, false, false);
        this.unavailable = unavailable;
        this.kind = kind;
        this.partiallyDeleted = Map.copyOf(partiallyDeleted);
        this.receipt = receipt;
        this.retryAfter = retryAfter;
        this.detail = detail != null ? detail : cause != null ? String.valueOf(cause) : null;
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, Long> partiallyDeleted() {
        return partiallyDeleted;
    }

    /** For the log line only: the service's raw answer or the exception behind the failure; null when there is none. */
    public String detail() {
        return detail;
    }

    /** The receipt {@link #partiallyDeleted} come from; null when the service named none. */
    public String receipt() {
        return receipt;
    }

    /** How long the service asked us to wait before calling again; null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Whether the service is (for now) not there: refused or lost connections, timeouts, 502/503/504. Retried for at
     * least {@code deletion.retry.horizon}; other retryable failures (500: the service's own fault) only
     * {@code deletion.retry.max-attempts} times.
     */
    public boolean unavailable() {
        return unavailable;
    }
}
