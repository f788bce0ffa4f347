package dev.tenantdeletion.orchestrator.job.task;

import dev.tenantdeletion.orchestrator.job.store.JobStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * A sweep's first turn: scheduled jobs that have come due become pending (not under a legal hold), on
 * whichever replica sweeps first — the store decides, by the database's clock.
 */
@ApplicationScoped
public class PromoteDueJobsTask {

    /** Scheduled jobs one sweep makes pending at most; more wait for the next sweep (they are not lost). */
    static final int PER_SWEEP = 100;

    private final JobStore store;

    public PromoteDueJobsTask(JobStore store) {
        this.store = store;
    }

    /** The jobs promoted; never fails (a failed sweep is logged, and the next one tries again). */
    public Uni<List<UUID>> run() {
        return store.promoteDue(PER_SWEEP)
                .invoke(promoted -> {
                    if (!promoted.isEmpty()) {
                        Log.infof("scheduled deletion job(s) %s came due: pending now", promoted);
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("sweep for scheduled deletion jobs failed: %s", failure.getMessage());
                    return List.of();
                });
    }
}
