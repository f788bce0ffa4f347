package dev.tenantdeletion.orchestrator.fanout;

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
        /** 4xx: the request itself is wrong or not allowed. Never retried. */
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

    public CallFailure(Kind kind, String message) {
        this(kind, message, Map.of(), null);
    }

    /**
     * @param partiallyDeleted rows a failed DELETE reports as deleted anyway (a batched service commits
     *        batch by batch): they are gone and count towards the job's totals
     */
    public CallFailure(Kind kind, String message, Map<String, Long> partiallyDeleted, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.partiallyDeleted = Map.copyOf(partiallyDeleted);
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, Long> partiallyDeleted() {
        return partiallyDeleted;
    }
}
