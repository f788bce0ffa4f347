package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.fanout.Fanout;
import dev.tenantdeletion.orchestrator.fanout.RunAbandoned;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.store.ServiceRunWrites;
import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.ServiceProgress;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims and runs deletion jobs under one owner identity — what one replica does. Coordination with
 * other replicas happens only in the database: a claim takes pending jobs and jobs whose lease expired
 * ({@code FOR UPDATE SKIP LOCKED}), the lease is renewed while the job runs, and every write is
 * conditional on still holding it.
 */
public class JobWorker {

    private final String owner;
    private final JobStore store;
    private final Leases leases;
    private final ServiceRunWrites writes;
    private final Fanout fanout;
    private final ServiceRegistry registry;
    private final OrchestratorMetrics metrics;
    private final Vertx vertx;
    private final Duration lease;
    private final Duration stallAfter;

    public JobWorker(String owner, JobStore store, Leases leases, ServiceRunWrites writes, Fanout fanout, ServiceRegistry registry,
            OrchestratorMetrics metrics, Vertx vertx, Duration lease) {
        this(owner, store, leases, writes, fanout, registry, metrics, vertx, lease, lease.multipliedBy(STALL_LEASES));
    }

    /** Runs without any progress for this many leases stop renewing their lease. */
    public static final int STALL_LEASES = 3;

    public JobWorker(String owner, JobStore store, Leases leases, ServiceRunWrites writes, Fanout fanout, ServiceRegistry registry,
            OrchestratorMetrics metrics, Vertx vertx, Duration lease, Duration stallAfter) {
        this.stallAfter = stallAfter;
        this.owner = owner;
        this.store = store;
        this.leases = leases;
        this.writes = writes;
        this.fanout = fanout;
        this.registry = registry;
        this.metrics = metrics;
        this.vertx = vertx;
        this.lease = lease;
    }

    public String owner() {
        return owner;
    }

    /** Scheduled jobs that have come due become pending (not under a legal hold); the ids promoted. */
    public Uni<List<UUID>> promoteDue(int limit) {
        return store.promoteDue(limit);
    }

    /** Claims up to {@code limit} due jobs: pending ones, and running ones whose lease expired. */
    public Uni<List<Claim>> claimDue(int limit) {
        return leases.claimDue(leaseOwner(), lease, limit);
    }

    /** Claims this job if nobody holds it. */
    public Uni<Optional<Claim>> claim(UUID jobId) {
        return leases.claim(jobId, leaseOwner(), lease);
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
        // stall guard: every call started, answer recorded or preview asked for is progress; a run without any
        // for stallAfter is stuck somewhere (a DB call or an HTTP call that never ends) and must not keep the job
        // to itself: it stops renewing, the lease runs out and another replica (or a later sweep here) takes over
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long timer = vertx.setPeriodic(renewEvery, id -> {
            Duration quiet = Duration.ofNanos(System.nanoTime() - lastProgress.get());
            if (quiet.compareTo(stallAfter) > 0) {
                if (stalled.compareAndSet(false, true)) {
                    Log.warnf("deletion job %s made no progress for %d ms (stall limit %s, %d leases by default): no longer "
                            + "renewing its lease, so another replica can take it over", claim.jobId(), quiet.toMillis(), stallAfter,
                            STALL_LEASES);
                }
                return;
            }
            leases.renew(claim.jobId(), claim.leaseOwner(), lease).subscribe().with(
                    renewed -> {
                        if (!renewed) {
                            Log.warnf("lost the lease of job %s: another replica may run it now", claim.jobId());
                        }
                    },
                    failure -> Log.warnf("could not renew the lease of job %s: %s", claim.jobId(), failure.getMessage()));
        });
        // the run's span: the store's SQL, the service calls and their HTTP spans below it
        io.opentelemetry.api.trace.Span span = fanout.tracing().startRun(claim.jobId(), claim.tenantId());
        return LogContext.with(vertx.getDelegate(), Map.of(), () -> writes.services(claim.jobId())
                        .chain(services -> runServices(claim, services, () -> lastProgress.set(System.nanoTime()))),
                        io.opentelemetry.context.Context.current().with(span))
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
                    JobStatus status = finished.orElseThrow(
                            () -> new RunAbandoned("lease of job " + claim.jobId() + " lost before it finished", null));
                    metrics.jobFinished(status.value(), Duration.ofNanos(System.nanoTime() - started));
                    Log.infof("deletion job %s for tenant %s finished: %s", claim.jobId(), claim.tenantId(), status.value());
                    return status;
                })
                .onTermination().invoke((status, failure, cancelled) -> {
                    vertx.cancelTimer(timer);
                    JobTracing.endRun(span, status == null ? null : status.value(), failure);
                });
    }

    private Uni<Void> runServices(Claim claim, List<ServiceProgress> stored, Runnable progress) {
        Map<String, Map<String, Long>> deleted = new ConcurrentHashMap<>();
        List<Fanout.Task> toRun = new ArrayList<>();
        List<ServiceResult> unregistered = new ArrayList<>();
        for (ServiceProgress service : stored) {
            if (service.status().isSettled()) {
                continue; // settled in an earlier claim (completed, or failed until someone asks for a retry)
            }
            deleted.put(service.service(), new LinkedHashMap<>(service.deletedCounts()));
            boolean takeExpected = service.neverCalled() && service.itemsExpected() == null;
            registry.find(service.service()).ifPresentOrElse(s -> toRun.add(new Fanout.Task(s, takeExpected)),
                    () -> unregistered.add(ServiceResult.unregistered(service.service())));
        }
        ServiceRunRecorder recorder = new ServiceRunRecorder(writes, metrics, claim, deleted, progress);
        Uni<Void> skipped = Uni.createFrom().voidItem();
        for (ServiceResult result : unregistered) {
            skipped = skipped.chain(() -> recorder.finished(result));
        }
        Log.infof("running deletion job %s for tenant %s on %s as %s", claim.jobId(), claim.tenantId(),
                toRun.stream().map(t -> t.service().name()).toList(), claim.leaseOwner());
        return skipped.chain(() -> fanout.deleteEverywhere(claim.jobId(), claim.tenantId(), toRun, recorder)).replaceWithVoid();
    }
}
