package dev.tenantdeletion.orchestrator.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that stands still until a test moves it; counts how often it is read. */
public final class SettableTime implements TimeSource {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public long nanoTime() {
        reads.incrementAndGet();
        return nanos.get();
    }

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    /** How often the clock has been read so far. */
    public int reads() {
        return reads.get();
    }
}
