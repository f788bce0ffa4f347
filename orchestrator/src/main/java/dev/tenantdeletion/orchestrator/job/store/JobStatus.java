package dev.tenantdeletion.orchestrator.job.store;

import java.util.Arrays;
import java.util.Optional;

/** A job's status, as stored and as answered. */
public enum JobStatus {
    PENDING, RUNNING, COMPLETED, PARTIALLY_FAILED, FAILED;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean active() {
        return this == PENDING || this == RUNNING;
    }

    public static Optional<JobStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    public static JobStatus of(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown job status in the database: " + value));
    }
}
