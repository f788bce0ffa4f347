package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import dev.tenantdeletion.orchestrator.fanout.RetryPolicy;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.time.TimeSource;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Starts a {@link LeaseKeeper} for each claim this replica processes: renewal every third of
 * {@code deletion.jobs.lease}, stall limit {@link SettingsValidation#STALL_LEASES} leases, on the injected clock.
 */
@ApplicationScoped
public class LeaseKeepers {

    private final Leases leases;
    private final Vertx vertx;
    private final TimeSource time;
    private final OrchestratorSettings settings;
    private final RetryPolicy retryPolicy;

    public LeaseKeepers(Leases leases, Vertx vertx, TimeSource time, OrchestratorSettings settings, RetryPolicy retryPolicy) {
        this.leases = leases;
        this.vertx = vertx;
        this.time = time;
        this.settings = settings;
        this.retryPolicy = retryPolicy;
    }

    void onStart(@Observes StartupEvent event) {
        SettingsValidation.warnIfStallGuardTooTight(settings, retryPolicy.longestWait());
    }

    /** Keeps the claim's lease from now until {@link LeaseKeeper#stop()}. */
    public LeaseKeeper keep(Claim claim) {
        Duration lease = settings.jobs().lease();
        Duration stallAfter = lease.multipliedBy(SettingsValidation.STALL_LEASES);
        return new LeaseKeeper(claim.jobId(), () -> leases.renew(claim.jobId(), claim.leaseOwner(), lease), stallAfter, time)
                .renewEvery(vertx, Duration.ofMillis(Math.max(100, lease.toMillis() / 3)));
    }
}
