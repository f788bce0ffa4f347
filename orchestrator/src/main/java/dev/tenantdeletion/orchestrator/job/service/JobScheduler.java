package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.fanout.Fanout;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.store.ServiceRunWrites;
import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.registry.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's job runner. At start-up it resumes what was left pending or running (jobs whose lease
 * has expired), then sweeps periodically for new work and for jobs of replicas that died; a job created
 * here is started at once when there is room. At most {@code deletion.jobs.max-concurrent} runs at a time,
 * whichever way they start. With DELETION_ENABLED=false nothing is claimed: jobs wait until it is back on.
 */
@ApplicationScoped
public class JobScheduler {

    private final JobStore store;
    private final Leases leases;
    private final ServiceRunWrites writes;
    private final Fanout fanout;
    private final ServiceRegistry registry;
    private final OrchestratorMetrics metrics;
    private final Vertx vertx;
    private final OrchestratorSettings settings;
    private final JobWorker worker;
    /** Slots taken: runs in flight plus claims under way (reserved before the claim is sent). */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Runs in flight, by job, with the lease each runs under (released at shutdown if they do not finish). */
    private final Map<UUID, String> running = new ConcurrentHashMap<>();
    private volatile long timer = -1;
    private volatile boolean stopping;

    public JobScheduler(JobStore store, Leases leases, ServiceRunWrites writes, Fanout fanout, ServiceRegistry registry,
            OrchestratorMetrics metrics, Vertx vertx, OrchestratorSettings settings) {
        this.store = store;
        this.leases = leases;
        this.writes = writes;
        this.fanout = fanout;
        this.registry = registry;
        this.metrics = metrics;
        this.vertx = vertx;
        this.settings = settings;
        this.worker = newWorker(instanceId());
    }

    /** A worker with its own identity, as another replica sharing the database would be (tests in this package). */
    JobWorker newWorker(String owner) {
        return new JobWorker(owner, store, leases, writes, fanout, registry, metrics, vertx, settings.jobs().lease());
    }

    public String owner() {
        return worker.owner();
    }

    void onStart(@Observes StartupEvent event) {
        OrchestratorSettings.Jobs jobs = settings.jobs();
        requirePositive("deletion.jobs.lease", jobs.lease());
        requirePositive("deletion.jobs.sweep-interval", jobs.sweepInterval());
        if (jobs.shutdownGrace().isNegative()) {
            throw new IllegalArgumentException("deletion.jobs.shutdown-grace must not be negative, is " + jobs.shutdownGrace());
        }
        if (jobs.defaultGracePeriod().isNegative() || jobs.defaultGracePeriod().compareTo(JobService.MAX_GRACE_PERIOD) > 0) {
            throw new IllegalArgumentException("deletion.jobs.default-grace-period must be from PT0S to P90D, is " + jobs.defaultGracePeriod());
        }
        if (jobs.maxConcurrent() < 1) {
            throw new IllegalArgumentException("deletion.jobs.max-concurrent must be at least 1, is " + jobs.maxConcurrent());
        }
        warnIfStallGuardTooTight();
        Duration interval = jobs.sweepInterval();
        Log.infof("job runner %s: lease %s, sweep every %s, at most %d jobs at once, default grace period %s, services %s", owner(),
                jobs.lease(), interval, jobs.maxConcurrent(), jobs.defaultGracePeriod(), registry.services());
        if (!settings.enabled()) {
            Log.warn("DELETION_ENABLED=false: no deletion job is started or resumed");
        }
        sweep();
        timer = vertx.setPeriodic(Math.max(100, interval.toMillis()), id -> sweep());
    }

    /**
     * A healthy run is silent at most for one call (the longest timeout) plus the longest wait before the
     * next attempt; the stall guard gives up after {@link JobWorker#STALL_LEASES} leases of silence. If that
     * is shorter, healthy runs would lose their lease and be taken over (harmless for the counts, thanks to
     * the Idempotency-Key, but wasted work).
     */
    private void warnIfStallGuardTooTight() {
        Duration longestTimeout = registry.services().stream().map(RegisteredService::timeout).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        Duration quietest = longestTimeout.plus(fanout.longestWaitBetweenAttempts());
        Duration stallAfter = settings.jobs().lease().multipliedBy(JobWorker.STALL_LEASES);
        if (stallAfter.compareTo(quietest) <= 0) {
            Log.warnf("deletion.jobs.lease %s is short: a run is considered stalled after %s without progress, but one call "
                    + "(timeout %s) plus the longest wait between attempts (%s) may take %s; raise the lease above %s",
                    settings.jobs().lease(), stallAfter, longestTimeout, fanout.longestWaitBetweenAttempts(), quietest,
                    quietest.dividedBy(JobWorker.STALL_LEASES));
        }
    }

    /**
     * Stops claiming, lets the runs in flight finish for at most {@code deletion.jobs.shutdown-grace}, then
     * gives up the leases of those that did not, so another replica resumes them at once instead of
     * waiting for the leases to expire. (Blocking here is fine: this is the shutdown thread.)
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long deadline = System.nanoTime() + settings.jobs().shutdownGrace().toNanos();
        if (!running.isEmpty()) {
            Log.infof("shutting down: waiting up to %s for %d running job(s)", settings.jobs().shutdownGrace(), running.size());
        }
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> unfinished = List.copyOf(running.values());
        if (unfinished.isEmpty()) {
            return;
        }
        try {
            int released = leases.release(unfinished).await().atMost(Duration.ofSeconds(5));
            Log.infof("released the lease of %d running job(s) for another replica to resume", released);
        } catch (RuntimeException e) {
            Log.warnf("could not release this replica's leases at shutdown (they expire by themselves): %s", e.getMessage());
        }
    }

    /** Starts the job now if it is free and this replica has room; otherwise a sweep starts it later. */
    public void startSoon(UUID jobId) {
        if (!settings.enabled() || stopping) {
            return;
        }
        if (reserve(1) == 0) {
            Log.debugf("job %s waits for a free slot (deletion.jobs.max-concurrent=%d)", jobId, settings.jobs().maxConcurrent());
            return;
        }
        worker.claim(jobId).subscribe().with(
                claim -> claim.ifPresentOrElse(this::launch, () -> release(1)),
                failure -> {
                    release(1);
                    Log.errorf(failure, "could not claim job %s (the sweep will retry)", jobId);
                });
    }

    /**
     * Makes scheduled jobs that have come due pending (on whichever replica sweeps first: the store decides),
     * then claims due jobs up to this replica's free capacity and starts them.
     */
    void sweep() {
        if (!settings.enabled() || stopping) {
            return;
        }
        worker.promoteDue(PROMOTE_PER_SWEEP).subscribe().with(
                promoted -> {
                    if (!promoted.isEmpty()) {
                        Log.infof("scheduled deletion job(s) %s came due: pending now", promoted);
                    }
                    claimDue();
                },
                failure -> {
                    Log.warnf("sweep for scheduled deletion jobs failed: %s", failure.getMessage());
                    claimDue();
                });
    }

    /** Scheduled jobs one sweep makes pending at most; more wait for the next sweep (they are not lost). */
    static final int PROMOTE_PER_SWEEP = 100;

    private void claimDue() {
        // the slots are reserved before the asynchronous claim, so overlapping sweeps and startSoon calls
        // cannot claim more than the capacity between them
        int slots = reserve(settings.jobs().maxConcurrent());
        if (slots == 0) {
            return;
        }
        worker.claimDue(slots).subscribe().with(
                claims -> {
                    release(slots - claims.size());
                    claims.forEach(this::launch);
                },
                failure -> {
                    release(slots);
                    Log.warnf("sweep for deletion jobs failed: %s", failure.getMessage());
                });
    }

    /** Takes up to {@code wanted} free slots; how many it got. */
    private int reserve(int wanted) {
        int max = settings.jobs().maxConcurrent();
        while (true) {
            int taken = reserved.get();
            int granted = Math.min(wanted, max - taken);
            if (granted <= 0) {
                return 0;
            }
            if (reserved.compareAndSet(taken, taken + granted)) {
                return granted;
            }
        }
    }

    private void release(int slots) {
        if (slots > 0) {
            reserved.addAndGet(-slots);
        }
    }

    private void launch(Claim claim) {
        running.put(claim.jobId(), claim.leaseOwner());
        Map<String, String> fields = Map.of("job_id", claim.jobId().toString(), "tenant_id", claim.tenantId().toString(),
                "service", "orchestrator");
        LogContext.with(vertx.getDelegate(), fields, () -> worker.run(claim))
                .onTermination().invoke(() -> {
                    running.remove(claim.jobId(), claim.leaseOwner());
                    release(1);
                    // a slot is free: jobs left pending for lack of room need not wait for the next sweep
                    sweep();
                })
                .subscribe().with(
                        status -> { },
                        failure -> Log.warnf("deletion job %s stopped: %s (it will be resumed)", claim.jobId(), failure.getMessage()));
    }

    private static void requirePositive(String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be positive, is " + value);
        }
    }

    private static String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "orchestrator";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
