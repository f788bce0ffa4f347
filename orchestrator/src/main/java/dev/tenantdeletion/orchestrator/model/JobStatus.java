package dev.tenantdeletion.orchestrator.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job's status, as stored and as answered: the one list of statuses (the database check and metrics follow
 * it), and the one table of how a job moves between them ({@link Transition}). Every status change the job
 * store writes is one of these rows; {@code JobLifecycleTest} checks that against the database.
 *
 * <pre>
 * (new)             --JobStore.createOrFindActive-->  scheduled (grace period / execute_after ahead) | pending
 * scheduled         --JobStore.promoteDue-->          pending    (execute_after passed; not while a legal hold is in force)
 * scheduled         --JobStore.executeNow-->          pending    (refused while a legal hold is in force)
 * scheduled         --JobStore.cancel-->              cancelled
 * pending           --Leases.claim / claimDue-->      running    (lease_owner = replica#claim, renewed every lease/3)
 * running           --claim after the lease expired, or after Leases.release at shutdown--> running (another claim)
 * running           --JobStore.finish-->              completed | partially_failed | failed
 * failed | partially_failed --JobStore.resetForRetry--> pending (service runs not completed back to pending;
 *                                                     refused while a legal hold is in force)
 * </pre>
 * A legal hold never moves a job: it keeps a scheduled job scheduled ({@code blocked_by: legal_hold}) and refuses
 * the moves marked above. {@code completed} and {@code cancelled} are never left ({@link #isTerminal()}).
 */
public enum JobStatus {
    /** Waiting for its execute_after (a grace period); nothing deleted yet. */
    SCHEDULED,
    PENDING, RUNNING, COMPLETED, PARTIALLY_FAILED, FAILED,
    /** Cancelled while scheduled: nothing was deleted. */
    CANCELLED;

    /** What a new job is created as. */
    public static final Set<JobStatus> INITIAL = EnumSet.of(SCHEDULED, PENDING);

    /** A deletion is under way (placing a legal hold is refused): claimed or waiting for a claim. */
    public static final Set<JobStatus> IN_PROGRESS = EnumSet.of(PENDING, RUNNING);

    /** Every move a job can make (the store binds {@link #from()} as its guard and {@link #to()} as the new status). */
    public enum Transition {
        /** {@code JobStore.promoteDue}: execute_after has passed and no legal hold is in force. */
        PROMOTE_DUE(EnumSet.of(SCHEDULED), PENDING),
        /** {@code JobStore.executeNow}; refused while a legal hold is in force. */
        EXECUTE_NOW(EnumSet.of(SCHEDULED), PENDING),
        /** {@code JobStore.cancel}. */
        CANCEL(EnumSet.of(SCHEDULED), CANCELLED),
        /** {@code Leases.claim}/{@code claimDue}: pending, or running under a lease that expired or was released. */
        CLAIM(EnumSet.of(PENDING, RUNNING), RUNNING),
        /** {@code JobStore.finish}: every service run completed and verified. */
        FINISH_COMPLETED(EnumSet.of(RUNNING), COMPLETED),
        /** {@code JobStore.finish}: some service runs completed, some not. */
        FINISH_PARTIALLY_FAILED(EnumSet.of(RUNNING), PARTIALLY_FAILED),
        /** {@code JobStore.finish}: no service run completed (or the job has none). */
        FINISH_FAILED(EnumSet.of(RUNNING), FAILED),
        /** {@code JobStore.resetForRetry}; refused while a legal hold is in force or another job of the tenant is active. */
        RETRY(EnumSet.of(FAILED, PARTIALLY_FAILED), PENDING);

        private final Set<JobStatus> from;
        private final JobStatus to;

        Transition(Set<JobStatus> from, JobStatus to) {
            this.from = from;
            this.to = to;
        }

        public Set<JobStatus> from() {
            return EnumSet.copyOf(from);
        }

        public JobStatus to() {
            return to;
        }

        /** Whether a job in {@code status} can make this move. */
        public boolean allowedFrom(JobStatus status) {
            return from.contains(status);
        }

        /** The statuses it starts from, as bound to a {@code status = any($n)} guard. */
        public String[] fromValues() {
            return asText(from);
        }
    }

    public String value() {
        return LowerCaseEnum.value(this);
    }

    /** Never left again: completed, cancelled. */
    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** No claim changes it any more: terminal, or failed / partially failed, which only a retry reopens. */
    public boolean isSettled() {
        return isTerminal() || this == PARTIALLY_FAILED || this == FAILED;
    }

    /** The statuses a claim or a due date can still move, in the order above: the tenant's one active job is in one of them. */
    public static List<JobStatus> unsettled() {
        return Arrays.stream(values()).filter(s -> !s.isSettled()).toList();
    }

    /** These statuses' values, to bind as a text array. */
    public static String[] asText(Collection<JobStatus> statuses) {
        return LowerCaseEnum.asText(statuses);
    }

    /**
     * {@code column in (<each status as a quoted literal>)}: only where PostgreSQL must see the literals, as in an
     * ON CONFLICT clause that names the partial unique index by its predicate (a bound array does not match it).
     */
    public static String inList(String column, Collection<JobStatus> statuses) {
        return column + " in (" + String.join(", ", statuses.stream().map(s -> "'" + s.value() + "'").toList()) + ")";
    }

    public static Optional<JobStatus> parse(String value) {
        return LowerCaseEnum.parse(values(), value);
    }

    public static JobStatus of(String value) {
        return LowerCaseEnum.of(values(), value, "job status");
    }
}
