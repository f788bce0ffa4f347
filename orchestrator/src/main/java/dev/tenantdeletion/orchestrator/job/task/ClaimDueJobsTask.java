package dev.tenantdeletion.orchestrator.job.task;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A sweep's second turn: claims due jobs — pending ones, and running ones whose lease expired or was
 * released (a dead or stopped replica's) — oldest first, {@code FOR UPDATE SKIP LOCKED}, under a lease of
 * {@code deletion.jobs.lease}.
 */
@ApplicationScoped
public class ClaimDueJobsTask {

    private final Leases leases;
    private final OrchestratorSettings settings;

    public ClaimDueJobsTask(Leases leases, OrchestratorSettings settings) {
        this.leases = leases;
        this.settings = settings;
    }

    /**
     * Up to {@code slots} claims under {@code leaseOwner}; never fails (a failed sweep is logged and claims
     * nothing: the next one tries again).
     */
    public Uni<List<Claim>> run(String leaseOwner, int slots) {
        return leases.claimDue(leaseOwner, settings.jobs().lease(), slots)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("sweep for deletion jobs failed: %s", failure.getMessage());
                    return List.of();
                });
    }
}
