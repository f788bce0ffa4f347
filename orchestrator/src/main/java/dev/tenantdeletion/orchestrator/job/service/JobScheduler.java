package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.fanout.Fanout;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.job.store.JobStore.Claim;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.registry.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's job runner. At start-up it resumes what was left pending or running (jobs whose lease
 * has expired), then sweeps periodically for new work and for jobs of replicas that died; a job created
 * here is started at once. With DELETION_ENABLED=false nothing is claimed: jobs wait until it is back on.
 */
@ApplicationScoped
public class JobScheduler {

    private final JobStore store;
    private final Fanout fanout;
    private final ServiceRegistry registry;
    private final OrchestratorMetrics metrics;
    private final Vertx vertx;
    private final OrchestratorSettings settings;
    private final JobWorker worker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long timer = -1;
    private volatile boolean stopping;

    public JobScheduler(JobStore store, Fanout fanout, ServiceRegistry registry, OrchestratorMetrics metrics, Vertx vertx,
            OrchestratorSettings settings) {
        this.store = store;
        this.fanout = fanout;
        this.registry = registry;
        this.metrics = metrics;
        this.vertx = vertx;
        this.settings = settings;
        this.worker = newWorker(instanceId());
    }

    /** A worker with its own identity, as another replica sharing the database would be. */
    public JobWorker newWorker(String owner) {
        return new JobWorker(owner, store, fanout, registry, metrics, vertx, settings.jobs().lease());
    }

    public String owner() {
        return worker.owner();
    }

    void onStart(@Observes StartupEvent event) {
        Duration interval = settings.jobs().sweepInterval();
        Log.infof("job runner %s: lease %s, sweep every %s, services %s", owner(), settings.jobs().lease(), interval,
                registry.services());
        if (!settings.enabled()) {
            Log.warn("DELETION_ENABLED=false: no deletion job is started or resumed");
        }
        sweep();
        timer = vertx.setPeriodic(Math.max(100, interval.toMillis()), id -> sweep());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        try {
            int released = store.releaseAll(owner()).await().atMost(Duration.ofSeconds(5));
            if (released > 0) {
                Log.infof("released the lease of %d running job(s) for another replica to resume", released);
            }
        } catch (RuntimeException e) {
            Log.warnf("could not release this replica's leases at shutdown (they expire by themselves): %s", e.getMessage());
        }
    }

    /** Starts the job now if it is free (a job just created or put back for a retry). */
    public void startSoon(UUID jobId) {
        if (!settings.enabled() || stopping) {
            return;
        }
        worker.claim(jobId).subscribe().with(
                claim -> claim.ifPresent(this::launch),
                failure -> Log.errorf(failure, "could not claim job %s (the sweep will retry)", jobId));
    }

    /** Claims due jobs up to this replica's capacity and starts them. */
    void sweep() {
        if (!settings.enabled() || stopping) {
            return;
        }
        int free = settings.jobs().maxConcurrent() - inFlight.get();
        if (free <= 0) {
            return;
        }
        worker.claimDue(free).subscribe().with(
                claims -> claims.forEach(this::launch),
                failure -> Log.warnf("sweep for deletion jobs failed: %s", failure.getMessage()));
    }

    private void launch(Claim claim) {
        inFlight.incrementAndGet();
        Map<String, String> fields = Map.of("job_id", claim.jobId().toString(), "tenant_id", claim.tenantId().toString(),
                "service", "orchestrator");
        LogContext.with(vertx.getDelegate(), fields, () -> worker.run(claim))
                .onTermination().invoke(inFlight::decrementAndGet)
                .subscribe().with(
                        status -> { },
                        failure -> Log.warnf("deletion job %s stopped: %s (it will be resumed)", claim.jobId(), failure.getMessage()));
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
