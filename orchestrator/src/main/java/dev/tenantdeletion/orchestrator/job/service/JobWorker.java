package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.fanout.Fanout;
import dev.tenantdeletion.orchestrator.fanout.ClaimAbandoned;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.ServiceRunWrites;
import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.ReceiptTally;
import dev.tenantdeletion.orchestrator.model.ServiceProgress;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Processes a claim: resolves the job's scope against the registry (services registered since the job was created
 * join it; a service no longer registered is not called, its service run fails {@code unregistered}), loads the job's
 * service runs, fans out to the services that have not finished, and finishes the job from all of their results,
 * while a {@link LeaseKeeper} keeps the claim's lease. Every write is conditional on still holding that lease; the
 * claims themselves are the scheduler's.
 */
@ApplicationScoped
public class JobWorker {

    private final JobStore store;
    private final ServiceRunWrites writes;
    private final Fanout fanout;
    private final ServiceRegistry registry;
    private final OrchestratorMetrics metrics;
    private final JobTracing tracing;
    private final LeaseKeepers leases;
    private final Vertx vertx;

    public JobWorker(JobStore store, ServiceRunWrites writes, Fanout fanout, ServiceRegistry registry, OrchestratorMetrics metrics,
            JobTracing tracing, LeaseKeepers leases, Vertx vertx) {
        this.store = store;
        this.writes = writes;
        this.fanout = fanout;
        this.registry = registry;
        this.metrics = metrics;
        this.tracing = tracing;
        this.leases = leases;
        this.vertx = vertx;
    }

    /**
     * Processes a claimed job to its settled status: every service that has not finished yet, in parallel,
     * then the job's status from all of its services. Fails with {@link ClaimAbandoned} when the lease is lost
     * on the way (another replica then holds the job).
     */
    public Uni<JobStatus> process(Claim claim) {
        return process(claim, JobSlots.ClaimSlot.NONE);
    }

    /** As {@link #process(Claim)}, lending {@code slot} while all the claim's services wait out a backoff. */
    public Uni<JobStatus> process(Claim claim, JobSlots.ClaimSlot slot) {
        long started = System.nanoTime();
        Context jobContext = io.vertx.core.Vertx.currentContext();
        LeaseKeeper lease = leases.keep(claim);
        // the claim's span: the store's SQL, the service calls and their HTTP spans below it
        Span span = tracing.startClaim(claim.jobId(), claim.tenantId());
        // every claim starts from the registry as it is now: a job scheduled for weeks, or retried after a deploy,
        // covers the services registered in between
        List<String> scope = registry.services().stream().map(RegisteredService::name).sorted().toList();
        return LogContext.with(vertx.getDelegate(), Map.of(), () -> addRegistered(claim, scope)
                        .chain(() -> writes.services(claim.jobId()))
                        .chain(services -> runServices(claim, services, lease::progress, slot)),
                        io.opentelemetry.context.Context.current().with(span))
                // back to the job's own log context: the fan-out completes on the context of the last service
                .emitOn(command -> {
                    if (jobContext == null) {
                        command.run();
                    } else {
                        jobContext.runOnContext(ignored -> command.run());
                    }
                })
                .chain(() -> store.finish(claim.jobId(), claim.leaseOwner(), scope))
                .map(finished -> {
                    JobStatus status = finished.orElseThrow(
                            () -> new ClaimAbandoned("lease of job " + claim.jobId() + " lost before it finished", null));
                    metrics.jobFinished(status.value(), Duration.ofNanos(System.nanoTime() - started));
                    Log.infof("deletion job %s for tenant %s finished: %s", claim.jobId(), claim.tenantId(), status.value());
                    return status;
                })
                .onTermination().invoke((status, failure, cancelled) -> {
                    lease.stop();
                    JobTracing.endClaim(span, status == null ? null : status.value(), failure);
                });
    }

    /** The services registered since the job was created join it as pending service runs. */
    private Uni<Void> addRegistered(Claim claim, List<String> scope) {
        return writes.addRegistered(claim.jobId(), claim.leaseOwner(), scope)
                .map(added -> added.orElseThrow(() -> new ClaimAbandoned("lease of job " + claim.jobId() + " lost before it started", null)))
                .invoke(added -> {
                    if (!added.isEmpty()) {
                        Log.infof("deletion job %s for tenant %s: services registered since it was created join it: %s",
                                claim.jobId(), claim.tenantId(), added);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> runServices(Claim claim, List<ServiceProgress> stored, Runnable progress, JobSlots.ClaimSlot slot) {
        Map<String, ReceiptTally> deleted = new ConcurrentHashMap<>();
        List<Fanout.Task> toRun = new ArrayList<>();
        List<ServiceResult> unregistered = new ArrayList<>();
        for (ServiceProgress service : stored) {
            if (service.status().isSettled()) {
                continue; // settled in an earlier claim (completed, or failed until someone asks for a retry)
            }
            deleted.put(service.service(), service.deleted());
            boolean takeExpected = service.neverCalled() && service.itemsExpected() == null;
            registry.find(service.service()).ifPresentOrElse(s -> toRun.add(new Fanout.Task(s, takeExpected)), () -> {
                Log.warnf("deletion job %s: service %s is no longer registered (deletion.services.%s.url): its service run fails",
                        claim.jobId(), service.service(), service.service());
                unregistered.add(ServiceResult.unregistered(service.service()));
            });
        }
        ServiceRunRecorder recorder = new ServiceRunRecorder(writes, metrics, claim, deleted, progress, slot);
        Uni<Void> skipped = Uni.createFrom().voidItem();
        for (ServiceResult result : unregistered) {
            skipped = skipped.chain(() -> recorder.finished(result));
        }
        Log.infof("running deletion job %s for tenant %s on %s as %s", claim.jobId(), claim.tenantId(),
                toRun.stream().map(t -> t.service().name()).toList(), claim.leaseOwner());
        return skipped.invoke(() -> slot.pipelines(toRun.size())).chain(() -> fanout.deleteEverywhere(claim.jobId(), claim.tenantId(), toRun, recorder)).replaceWithVoid();
    }
}
