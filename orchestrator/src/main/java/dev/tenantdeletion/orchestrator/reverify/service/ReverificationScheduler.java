package dev.tenantdeletion.orchestrator.reverify.service;

import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.job.service.JobScheduler;
import dev.tenantdeletion.orchestrator.metrics.ReverificationMetrics;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.reverify.store.ReverificationStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This replica's part of the re-verification: every {@code deletion.reverify.poll} it refreshes the gauges from the
 * store and, when a service is due (never swept, a pass left under way by a replica that stopped, or its last pass
 * an interval old) and no other replica's sweep holds the lease, sweeps; {@link #sweepNow()} runs one at once for every
 * service (POST /api/v1/reverifications). At most one sweep of this replica at a time; across replicas the lease decides.
 */
@ApplicationScoped
public class ReverificationScheduler {

    private final Reverifier reverifier;
    private final ReverificationStore store;
    private final ReverificationMetrics metrics;
    private final ServiceRegistry registry;
    private final OrchestratorSettings settings;
    private final JobScheduler jobs;
    private final Vertx vertx;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long timer = -1;

    public ReverificationScheduler(Reverifier reverifier, ReverificationStore store, ReverificationMetrics metrics, ServiceRegistry registry,
            OrchestratorSettings settings, JobScheduler jobs, Vertx vertx) {
        this.reverifier = reverifier;
        this.store = store;
        this.metrics = metrics;
        this.registry = registry;
        this.settings = settings;
        this.jobs = jobs;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        OrchestratorSettings.Reverify reverify = settings.reverify();
        if (reverify.interval().isZero()) {
            Log.info("re-verification of erased tenants is off (deletion.reverify.interval=PT0S); POST /api/v1/reverifications still runs one");
        } else {
            Log.infof("re-verification of erased tenants every %s (follow-up jobs after %s, %d tenants a page), looked for every %s",
                    reverify.interval(), reverify.gracePeriod(), reverify.batchSize(), reverify.poll());
        }
        tick();
        timer = vertx.setPeriodic(Math.max(100, reverify.poll().toMillis()), id -> tick());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        refreshGauges().subscribe().with(done -> {
            if (!settings.reverify().interval().isZero()) {
                sweepIfDue();
            }
        });
    }

    /** The gauges from the store; one refresh at a time, never failing (the gauges keep their last figures). */
    Uni<Void> refreshGauges() {
        if (registry.services().isEmpty() || !refreshing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return store.figures(names())
                .invoke(figures -> metrics.update(figures.lastSuccessEpochSeconds(), figures.tenants()))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("could not refresh the re-verification gauges (they keep their last values): %s", failure.getMessage());
                    return null;
                })
                .eventually(() -> refreshing.set(false));
    }

    private void sweepIfDue() {
        if (registry.services().isEmpty() || sweeping.get()) {
            return;
        }
        store.due(names(), settings.reverify().interval())
                .chain(due -> due ? sweep(false).replaceWithVoid() : Uni.createFrom().voidItem())
                .subscribe().with(done -> { }, failure -> Log.warnf(failure, "re-verification sweep failed (the next one continues): %s",
                        failure.getMessage()));
    }

    /**
     * A sweep now, of every registered service from the first erased tenant. 409 reverification_in_progress while a
     * sweep runs (here or on another replica): the caller asks again once it ended, rather than a request waiting for
     * a sweep of unknown length.
     */
    public Uni<SweepReport> sweepNow() {
        registry.requireServices();
        return sweep(true).map(report -> report.orElseThrow(ReverificationScheduler::inProgress));
    }

    private Uni<java.util.Optional<SweepReport>> sweep(boolean everything) {
        if (!sweeping.compareAndSet(false, true)) {
            return Uni.createFrom().item(java.util.Optional.empty());
        }
        String owner = jobs.replicaId() + "#sweep-" + UUID.randomUUID().toString().substring(0, 8);
        return reverifier.sweep(owner, everything)
                .invoke(report -> report.ifPresent(r -> {
                    if (!r.services().isEmpty() || !r.failedServices().isEmpty()) {
                        Log.infof("re-verification %s: %d erased tenant(s) checked in %s (failed: %s), %d finding(s), follow-up job(s) %s",
                                owner, r.checkedTenants(), r.services(), r.failedServices(), r.reappeared().size(), r.followUpJobs());
                    }
                }))
                .eventually(() -> {
                    sweeping.set(false);
                    return refreshGauges();
                });
    }

    private List<String> names() {
        return registry.services().stream().map(RegisteredService::name).toList();
    }

    private static ApiException inProgress() {
        return new ApiException(409, "reverification_in_progress",
                "a re-verification sweep is running (on this or another replica): ask again when it has ended");
    }
}
