package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import dev.tenantdeletion.orchestrator.time.TimeSource;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keeps one claim's lease: renews it on a timer while the claim makes progress. The stall guard: every call
 * started, answer recorded or preview asked for is progress ({@link #progress()}); a claim without any for
 * {@code stallAfter} is stuck somewhere (a DB call or an HTTP call that never ends) and must not keep the job
 * to itself, so the keeper stops renewing, the lease runs out and another replica (or a later sweep here)
 * takes over. Renewal resumes if progress does.
 */
public final class LeaseKeeper {

    private final UUID jobId;
    private final Supplier<Uni<Boolean>> renew;
    private final Duration stallAfter;
    private final TimeSource time;
    private final AtomicLong lastProgress;
    private final AtomicBoolean stalled = new AtomicBoolean();
    private volatile Runnable stopTimer = () -> { };

    /** {@code renew}: one renewal of the lease, true while the claim still holds it. */
    LeaseKeeper(UUID jobId, Supplier<Uni<Boolean>> renew, Duration stallAfter, TimeSource time) {
        this.jobId = jobId;
        this.renew = renew;
        this.stallAfter = stallAfter;
        this.time = time;
        this.lastProgress = new AtomicLong(time.nanoTime());
    }

    /** Starts the renewal timer: a {@link #renewUnlessStalled()} every {@code interval} until {@link #stop()}. */
    LeaseKeeper renewEvery(Vertx vertx, Duration interval) {
        long timer = vertx.setPeriodic(interval.toMillis(), id -> renewUnlessStalled());
        stopTimer = () -> vertx.cancelTimer(timer);
        return this;
    }

    /** The claim made progress. */
    public void progress() {
        lastProgress.set(time.nanoTime());
    }

    public void stop() {
        stopTimer.run();
    }

    /** One turn of the timer: renews the lease, unless the claim has been silent for longer than the stall limit. */
    void renewUnlessStalled() {
        Duration quiet = time.since(lastProgress.get());
        if (quiet.compareTo(stallAfter) > 0) {
            if (stalled.compareAndSet(false, true)) {
                Log.warnf("deletion job %s made no progress for %d ms (stall limit %s, %d leases by default): no longer "
                        + "renewing its lease, so another replica can take it over", jobId, quiet.toMillis(), stallAfter,
                        SettingsValidation.STALL_LEASES);
            }
            return;
        }
        renew.get().subscribe().with(
                renewed -> {
                    if (!renewed) {
                        Log.warnf("lost the lease of job %s: another replica may run it now", jobId);
                    }
                },
                failure -> Log.warnf("could not renew the lease of job %s: %s", jobId, failure.getMessage()));
    }

    /** Whether the stall guard has given up renewing (at least once: renewal resumes with progress). */
    boolean stalled() {
        return stalled.get();
    }
}
