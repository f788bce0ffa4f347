package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.task.ClaimDueJobsTask;
import dev.tenantdeletion.orchestrator.job.task.PromoteDueJobsTask;
import dev.tenantdeletion.orchestrator.job.task.RefreshJobGaugesTask;
import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.time.TimeSource;
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

/**
 * This replica's job runner. At start-up it resumes what was left pending or running (jobs whose lease
 * has expired), then sweeps every {@code deletion.jobs.sweep-interval} for new work and for jobs of replicas
 * that died, and refreshes the job gauges; a job created here is started at once when there is room. At most
 * {@code deletion.jobs.max-concurrent} claims at a time, whichever way they start. With DELETION_ENABLED=false
 * nothing is claimed: jobs wait until it is back on.
 */
@ApplicationScoped
public class JobScheduler {

    private final Leases leases;
    private final JobWorker worker;
    private final PromoteDueJobsTask promoteDue;
    private final ClaimDueJobsTask claimDue;
    private final RefreshJobGaugesTask refreshGauges;
    private final ServiceRegistry registry;
    private final OrchestratorSettings settings;
    private final Vertx vertx;
    private final TimeSource time;
    private final JobSlots slots;
    private final String replicaId = newReplicaId();
    /** Claims in flight, by job, with their lease owner (released at shutdown if they do not finish). */
    private final Map<UUID, String> running = new ConcurrentHashMap<>();
    private volatile long timer = -1;
    private volatile boolean stopping;

    public JobScheduler(Leases leases, JobWorker worker, PromoteDueJobsTask promoteDue, ClaimDueJobsTask claimDue,
            RefreshJobGaugesTask refreshGauges, ServiceRegistry registry, OrchestratorSettings settings, Vertx vertx, TimeSource time,
            JobSlots slots) {
        this.slots = slots;
        this.leases = leases;
        this.worker = worker;
        this.promoteDue = promoteDue;
        this.claimDue = claimDue;
        this.refreshGauges = refreshGauges;
        this.registry = registry;
        this.settings = settings;
        this.vertx = vertx;
        this.time = time;
    }

    public String replicaId() {
        return replicaId;
    }

    void onStart(@Observes StartupEvent event) {
        OrchestratorSettings.Jobs jobs = settings.jobs();
        Log.infof("job runner %s: lease %s, sweep every %s, at most %d jobs at once, default grace period %s, services %s", replicaId,
                jobs.lease(), jobs.sweepInterval(), jobs.maxConcurrent(), jobs.defaultGracePeriod(), registry.services());
        if (!settings.enabled()) {
            Log.warn("DELETION_ENABLED=false: no deletion job is started or resumed");
        }
        // a claim that lends its slot while its services wait out their backoff lets a pending job start at once
        slots.onFreed(() -> vertx.runOnContext(this::sweep));
        tick();
        timer = vertx.setPeriodic(Math.max(100, jobs.sweepInterval().toMillis()), id -> tick());
    }

    private void tick() {
        refreshGauges.run().subscribe().with(done -> { });
        sweep();
    }

    /**
     * Stops claiming, lets the claims in flight finish for at most {@code deletion.jobs.shutdown-grace}, then
     * gives up the leases of those that did not, so another replica resumes them at once instead of
     * waiting for the leases to expire. (Blocking here is fine: this is the shutdown thread.)
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long stopped = time.nanoTime();
        Duration grace = settings.jobs().shutdownGrace();
        if (!running.isEmpty()) {
            Log.infof("shutting down: waiting up to %s for %d running job(s)", grace, running.size());
        }
        while (!running.isEmpty() && time.since(stopped).compareTo(grace) < 0) {
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
        leases.claim(jobId, leaseOwner(replicaId), settings.jobs().lease()).subscribe().with(
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
        promoteDue.run().subscribe().with(promoted -> claimDue());
    }

    private void claimDue() {
        // the slots are reserved before the asynchronous claim, so overlapping sweeps and startSoon calls
        // cannot claim more than the capacity between them
        int slots = reserve(settings.jobs().maxConcurrent());
        if (slots == 0) {
            return;
        }
        claimDue.run(leaseOwner(replicaId), slots).subscribe().with(claims -> {
            release(slots - claims.size());
            claims.forEach(this::launch);
        });
    }

    private int reserve(int wanted) {
        return slots.reserve(wanted);
    }

    private void release(int slots) {
        this.slots.release(slots);
    }

    private void launch(Claim claim) {
        running.put(claim.jobId(), claim.leaseOwner());
        Map<String, String> fields = Map.of("job_id", claim.jobId().toString(), "tenant_id", claim.tenantId().toString(),
                "service", "orchestrator");
        JobSlots.ClaimSlot slot = slots.claim();
        LogContext.with(vertx.getDelegate(), fields, () -> worker.process(claim, slot))
                .onTermination().invoke(() -> {
                    running.remove(claim.jobId(), claim.leaseOwner());
                    slot.end();
                    // a slot is free: jobs left pending for lack of room need not wait for the next sweep
                    sweep();
                })
                .subscribe().with(
                        status -> { },
                        failure -> Log.warnf("deletion job %s stopped: %s (it will be resumed)", claim.jobId(), failure.getMessage()));
    }

    /** A lease owner for one claim: the replica and a fresh claim id, so a claim's writes hold only under its own lease. */
    static String leaseOwner(String replicaId) {
        return replicaId + "#" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String newReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "orchestrator";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
