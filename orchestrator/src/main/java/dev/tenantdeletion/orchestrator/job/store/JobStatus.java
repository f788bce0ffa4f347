package dev.tenantdeletion.orchestrator.job.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
 * scheduled         --JobStore.expedite-->            pending    (execute-now; refused while a legal hold is in force)
 * scheduled         --JobStore.cancel-->              cancelled
 * pending           --JobStore.claim / claimDue-->    running    (lease_owner = replica#claim, renewed every lease/3)
 * running           --claim after the lease expired, or after JobStore.release at shutdown--> running (another claim)
 * running           --JobStore.finish-->              completed | partially_failed | failed
 * failed | partially_failed --JobStore.resetForRetry--> pending (services not completed back to pending;
 *                                                     refused while a legal hold is in force)
 * </pre>
 * A legal hold never moves a job: it keeps a scheduled job scheduled ({@code blocked_by: legal_hold}) and refuses
 * the moves marked above. {@code completed} and {@code cancelled} are never left.
 */
public enum JobStatus {
    /** Waiting for its execute_after (a grace period); nothing deleted yet. */
    SCHEDULED,
    PENDING, RUNNING, COMPLETED, PARTIALLY_FAILED, FAILED,
    /** Cancelled while scheduled: nothing was deleted. */
    CANCELLED;

    /** Every move a job can make (the store binds {@link #from()} as its guard and {@link #to()} as the new status). */
    public enum Transition {
        /** {@code JobStore.promoteDue}: execute_after has passed and no legal hold is in force. */
        PROMOTE_DUE(EnumSet.of(SCHEDULED), PENDING),
        /** {@code JobStore.expedite}; refused while a legal hold is in force. */
        EXECUTE_NOW(EnumSet.of(SCHEDULED), PENDING),
        /** {@code JobStore.cancel}. */
        CANCEL(EnumSet.of(SCHEDULED), CANCELLED),
        /** {@code JobStore.claim}/{@code claimDue}: pending, or running under a lease that expired or was released. */
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

    /** What a new job is created as. */
    public static final Set<JobStatus> INITIAL = EnumSet.of(SCHEDULED, PENDING);

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A deletion is under way (placing a legal hold is refused): claimed or waiting for a claim. */
    public static final Set<JobStatus> IN_PROGRESS = EnumSet.of(PENDING, RUNNING);

    /** Never left again: no {@link Transition} starts from it (failed and partially failed only by a retry). */
    public boolean isFinal() {
        return this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED || this == CANCELLED;
    }

    /** The statuses a job can still leave, in the order above: the tenant's one active job is in one of them. */
    public static List<JobStatus> nonFinal() {
        return Arrays.stream(values()).filter(s -> !s.isFinal()).toList();
    }

    /** These statuses' values, to bind as a text array. */
    public static String[] asText(Collection<JobStatus> statuses) {
        return statuses.stream().map(JobStatus::value).toArray(String[]::new);
    }

    /**
     * {@code column in (<each status as a quoted literal>)}: only where PostgreSQL must see the literals, as in an
     * ON CONFLICT clause that names the partial unique index by its predicate (a bound array does not match it).
     */
    static String inList(String column, Collection<JobStatus> statuses) {
        return column + " in (" + String.join(", ", statuses.stream().map(s -> "'" + s.value() + "'").toList()) + ")";
    }

    public static Optional<JobStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    public static JobStatus of(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown job status in the database: " + value));
    }
}
