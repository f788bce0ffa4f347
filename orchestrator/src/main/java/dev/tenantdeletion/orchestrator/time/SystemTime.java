package dev.tenantdeletion.orchestrator.time;

import jakarta.inject.Singleton;

/** The production {@link TimeSource}: {@link System#nanoTime()}. */
@Singleton
public class SystemTime implements TimeSource {

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
