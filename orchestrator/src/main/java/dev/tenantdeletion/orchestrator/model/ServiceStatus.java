package dev.tenantdeletion.orchestrator.model;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A service run's status (one service's share of a job, across every claim), as stored and as answered, and
 * the one table of how a service run moves ({@link Transition}); the store binds each row as its SQL guard.
 *
 * <pre>
 * (new)              --JobStore.createOrFindActive-->          pending
 * (new)              --ServiceRunWrites.addRegistered-->       pending   (a service registered since, at a claim's start)
 * pending | running  --ServiceRunWrites.callStarted-->         running   (first call, continuation, retry, a later claim)
 * running            --ServiceRunWrites.recordResult-->        completed | failed | timed_out
 * pending            --ServiceRunWrites.recordResult-->        failed    (no longer registered, or failed before its first call)
 * failed | timed_out --JobStore.resetForRetry-->               pending
 * </pre>
 * A claim takes every service run that is not settled; {@code completed} is never left ({@link #isTerminal()}).
 */
public enum ServiceStatus {
    PENDING, RUNNING,
    /** Deleted and verified empty by the service's preview. */
    COMPLETED, FAILED, TIMED_OUT;

    /** What a new service run is created as. */
    public static final ServiceStatus INITIAL = PENDING;

    /** Every move a service run can make. */
    public enum Transition {
        /** {@code ServiceRunWrites.callStarted}: a DELETE call is about to be sent. */
        CALL_STARTED(EnumSet.of(PENDING, RUNNING), RUNNING),
        /** {@code ServiceRunWrites.recordResult}: deleted and verified empty. */
        FINISH_COMPLETED(EnumSet.of(RUNNING), COMPLETED),
        /** {@code ServiceRunWrites.recordResult}: failed, also before its first call (unregistered, unexpected error). */
        FINISH_FAILED(EnumSet.of(PENDING, RUNNING), FAILED),
        /** {@code ServiceRunWrites.recordResult}: the last attempt timed out. */
        FINISH_TIMED_OUT(EnumSet.of(RUNNING), TIMED_OUT),
        /** {@code JobStore.resetForRetry}: back to work, with the job. */
        RETRY(EnumSet.of(FAILED, TIMED_OUT), PENDING);

        private final Set<ServiceStatus> from;
        private final ServiceStatus to;

        Transition(Set<ServiceStatus> from, ServiceStatus to) {
            this.from = from;
            this.to = to;
        }

        public Set<ServiceStatus> from() {
            return EnumSet.copyOf(from);
        }

        public ServiceStatus to() {
            return to;
        }

        public boolean allowedFrom(ServiceStatus status) {
            return from.contains(status);
        }

        /** The statuses it starts from, as bound to a {@code status = any($n)} guard. */
        public String[] fromValues() {
            return LowerCaseEnum.asText(from);
        }

        /** The move that records a result of this status. */
        public static Transition finishingAs(ServiceStatus result) {
            return switch (result) {
                case COMPLETED -> FINISH_COMPLETED;
                case FAILED -> FINISH_FAILED;
                case TIMED_OUT -> FINISH_TIMED_OUT;
                default -> throw new IllegalArgumentException("a service run does not finish as " + result.value());
            };
        }
    }

    public String value() {
        return LowerCaseEnum.value(this);
    }

    /** Never left again: completed. */
    public boolean isTerminal() {
        return this == COMPLETED;
    }

    /** No claim changes it any more: completed, or failed / timed out until someone asks for a retry. */
    public boolean isSettled() {
        return isTerminal() || isFailure();
    }

    /** Failed in a way the job's services_failed counts. */
    public boolean isFailure() {
        return this == FAILED || this == TIMED_OUT;
    }

    public static Optional<ServiceStatus> parse(String value) {
        return LowerCaseEnum.parse(values(), value);
    }

    public static ServiceStatus of(String value) {
        return LowerCaseEnum.of(values(), value, "service status");
    }
}
