package dev.tenantdeletion.orchestrator.job.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A service run's status (one service's part of a job), as stored and as answered. A run of the job takes every
 * service run that is not final; {@link JobStore#resetForRetry} puts the failed and timed-out ones back to pending.
 */
public enum ServiceStatus {
    PENDING, RUNNING,
    /** Deleted and verified empty by the service's preview. */
    COMPLETED, FAILED, TIMED_OUT;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Finished in an earlier run: completed, or failed until someone asks for a retry. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == TIMED_OUT;
    }

    /** Failed in a way the job's services_failed counts. */
    public boolean isFailure() {
        return this == FAILED || this == TIMED_OUT;
    }

    public static Optional<ServiceStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    public static ServiceStatus of(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown service status in the database: " + value));
    }
}
