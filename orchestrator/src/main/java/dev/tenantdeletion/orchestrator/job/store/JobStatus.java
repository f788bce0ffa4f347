package dev.tenantdeletion.orchestrator.job.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A job's status, as stored and as answered: the one list of statuses (the database check and metrics follow it). */
public enum JobStatus {
    /** Waiting for its execute_after (a grace period); nothing deleted yet. */
    SCHEDULED,
    PENDING, RUNNING, COMPLETED, PARTIALLY_FAILED, FAILED,
    /** Cancelled while scheduled: nothing was deleted. */
    CANCELLED;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Not final: the tenant's one active job (a scheduled one counts). */
    public boolean active() {
        return !isFinal();
    }

    public boolean isFinal() {
        return this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED || this == CANCELLED;
    }

    /** The statuses a job can still leave, in the order above. */
    public static List<JobStatus> nonFinal() {
        return Arrays.stream(values()).filter(s -> !s.isFinal()).toList();
    }

    public static Optional<JobStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    public static JobStatus of(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown job status in the database: " + value));
    }
}
