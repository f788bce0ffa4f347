package dev.tenantdeletion.orchestrator.time;

import java.time.Duration;

/**
 * The JVM clock, for what the orchestrator decides by time in Java (the stall guard, the shutdown grace),
 * injected so that tests move time instead of sleeping. What the database decides (a lease's expiry, a job
 * coming due, a hold in force) follows the database's {@code now()}, not this.
 */
public interface TimeSource {

    /** Nanoseconds of a monotonic clock, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** The time passed since {@code nanoTime}, a reading of this clock. */
    default Duration since(long nanoTime) {
        return Duration.ofNanos(nanoTime() - nanoTime);
    }
}
