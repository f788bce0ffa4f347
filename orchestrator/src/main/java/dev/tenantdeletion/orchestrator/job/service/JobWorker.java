package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.fanout.Fanout;
import dev.tenantdeletion.orchestrator.fanout.FanoutListener;
import dev.tenantdeletion.orchestrator.fanout.RunAbandoned;
import dev.tenantdeletion.orchestrator.fanout.ServiceResult;
import dev.tenantdeletion.orchestrator.job.store.JobStatus;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.JobStore.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore.StoredService;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims and runs deletion jobs under one owner identity — what one replica does. Coordination with
 * other replicas happens only in the database: a claim takes pending jobs and jobs whose lease expired
 * ({@code FOR UPDATE SKIP LOCKED}), the lease is renewed while the job runs, and every write is
 * conditional on still holding it.
 */
public class JobWorker {

    private final String owner;
    private final JobStore store;
    private final Fanout fanout;
    private final ServiceRegistry registry;
    private final OrchestratorMetrics metrics;
    private final Vertx vertx;
    private final Duration lease;

    public JobWorker(String owner, JobStore store, Fanout fanout, ServiceRegistry registry, OrchestratorMetrics metrics,
            Vertx vertx, Duration lease) {
        this.owner = owner;
        this.store = store;
        this.fanout = fanout;
        this.registry = registry;
        this.metrics = metrics;
        this.vertx = vertx;
        this.lease = lease;
    }

    public String owner() {
        return owner;
    }

    /** Claims up to {@code limit} due jobs: pending ones, and running ones whose lease expired. */
    public Uni<List<Claim>> claimDue(int limit) {
        return store.claimDue(leaseOwner(), lease, limit);
    }

    /** Claims this job if nobody holds it. */
    public Uni<Optional<Claim>> claim(UUID jobId) {
        return store.claim(jobId, leaseOwner(), lease);
    }

    /** This replica and a fresh claim id: a run's writes hold only under the lease of its own claim. */
    private String leaseOwner() {
        return owner + "#" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Runs a claimed job to its final status: every service that has not finished yet, in parallel,
     * then the job's status from all of its services. Fails with {@link RunAbandoned} when the lease
     * is lost on the way (another replica then owns the job).
     */
    public Uni<JobStatus> run(Claim claim) {
        long started = System.nanoTime();
        io.vertx.core.Context jobContext = io.vertx.core.Vertx.currentContext();
        long renewEvery = Math.max(100, lease.toMillis() / 3);
        long timer = vertx.setPeriodic(renewEvery, id -> store.renew(claim.jobId(), claim.leaseOwner(), lease).subscribe().with(
                renewed -> {
                    if (!renewed) {
                        Log.warnf("lost the lease of job %s: another replica may run it now", claim.jobId());
                    }
                },
                failure -> Log.warnf("could not renew the lease of job %s: %s", claim.jobId(), failure.getMessage())));
        return store.services(claim.jobId())
                .chain(services -> runServices(claim, services))
                // back to the job's own log context: the fan-out completes on the context of the last service
                .emitOn(command -> {
                    if (jobContext == null) {
                        command.run();
                    } else {
                        jobContext.runOnContext(ignored -> command.run());
                    }
                })
                .chain(() -> store.finish(claim.jobId(), claim.leaseOwner()))
                .map(finished -> {
                    JobStore.Finished done = finished.orElseThrow(
                            () -> new RunAbandoned("lease of job " + claim.jobId() + " lost before it finished", null));
                    metrics.jobFinished(done.status().value(), Duration.ofNanos(System.nanoTime() - started));
                    Log.infof("deletion job %s for tenant %s finished: %s", claim.jobId(), claim.tenantId(), done.status().value());
                    return done.status();
                })
                .onTermination().invoke(() -> vertx.cancelTimer(timer));
    }

    private Uni<Void> runServices(Claim claim, List<StoredService> stored) {
        Map<String, Map<String, Long>> deleted = new ConcurrentHashMap<>();
        List<RegisteredService> toRun = new ArrayList<>();
        List<ServiceResult> unregistered = new ArrayList<>();
        for (StoredService service : stored) {
            if (!"pending".equals(service.status()) && !"running".equals(service.status())) {
                continue; // finished in an earlier run (completed, or failed until someone asks for a retry)
            }
            deleted.put(service.service(), new LinkedHashMap<>(service.deletedCounts()));
            registry.find(service.service()).ifPresentOrElse(toRun::add, () -> unregistered.add(new ServiceResult(
                    service.service(), ServiceResult.FAILED, false, null,
                    "service " + service.service() + " is no longer registered (deletion.services." + service.service() + ".url)", 0)));
        }
        Recorder recorder = new Recorder(claim.jobId(), claim.leaseOwner(), deleted);
        Uni<Void> skipped = Uni.createFrom().voidItem();
        for (ServiceResult result : unregistered) {
            skipped = skipped.chain(() -> recorder.finished(result));
        }
        Log.infof("running deletion job %s for tenant %s on %s as %s", claim.jobId(), claim.tenantId(),
                toRun.stream().map(RegisteredService::name).toList(), claim.leaseOwner());
        return skipped.chain(() -> fanout.deleteEverywhere(claim.tenantId(), toRun, recorder)).replaceWithVoid();
    }

    /** Records a run's progress in the store, as long as this worker still holds the job's lease. */
    private final class Recorder implements FanoutListener {

        private final UUID jobId;
        private final String leaseOwner;
        private final Map<String, Map<String, Long>> deleted;

        Recorder(UUID jobId, String leaseOwner, Map<String, Map<String, Long>> deleted) {
            this.jobId = jobId;
            this.leaseOwner = leaseOwner;
            this.deleted = deleted;
        }

        @Override
        public Uni<Void> attemptStarted(String service, int attempt) {
            return held(store.attemptStarted(jobId, leaseOwner, service));
        }

        @Override
        public Uni<Void> deleted(String service, Map<String, Long> counts) {
            Map<String, Long> totals = deleted.computeIfAbsent(service, s -> new LinkedHashMap<>());
            Map<String, Long> snapshot;
            synchronized (totals) {
                counts.forEach((table, rows) -> totals.merge(table, rows, Long::sum));
                snapshot = new LinkedHashMap<>(totals);
            }
            return held(store.recordDeleted(jobId, leaseOwner, service, snapshot));
        }

        @Override
        public Uni<Void> finished(ServiceResult result) {
            return held(store.recordResult(jobId, leaseOwner, result));
        }

        private Uni<Void> held(Uni<Boolean> write) {
            return write.chain(ok -> ok ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new RunAbandoned("lease of job " + jobId + " lost", null)));
        }
    }
}
