package dev.tenantdeletion.orchestrator.model;

import java.util.UUID;

/**
 * What a guarded change came to — creating a job, cancel, execute-now, retry, placing a legal hold: done, or
 * why not. For a new job also which job it is ({@code jobId}) and whether this call created it
 * ({@code created}; false: the tenant's active job is answered).
 */
public record Outcome(Kind kind, UUID jobId, boolean created) {

    public enum Kind {
        DONE,
        NOT_FOUND,
        /** The job's status does not allow the move (its transition's {@code from} does not hold it). */
        NOT_ALLOWED,
        /** A legal hold of the tenant is in force. */
        ON_HOLD,
        /** Another job of the tenant is scheduled, pending or running. */
        OTHER_JOB_ACTIVE,
        /** A job of the tenant is pending or running: a legal hold cannot stop it halfway. */
        DELETION_IN_PROGRESS
    }

    public static final Outcome DONE = new Outcome(Kind.DONE, null, false);
    public static final Outcome NOT_FOUND = new Outcome(Kind.NOT_FOUND, null, false);
    public static final Outcome NOT_ALLOWED = new Outcome(Kind.NOT_ALLOWED, null, false);
    public static final Outcome ON_HOLD = new Outcome(Kind.ON_HOLD, null, false);
    public static final Outcome OTHER_JOB_ACTIVE = new Outcome(Kind.OTHER_JOB_ACTIVE, null, false);
    public static final Outcome DELETION_IN_PROGRESS = new Outcome(Kind.DELETION_IN_PROGRESS, null, false);

    /** The tenant's active job: {@code created} by this call, or found. */
    public static Outcome job(UUID jobId, boolean created) {
        return new Outcome(Kind.DONE, jobId, created);
    }

    public boolean done() {
        return kind == Kind.DONE;
    }
}
