package dev.tenantdeletion.orchestrator.job.task;

import dev.tenantdeletion.orchestrator.job.store.JobQueries;
import dev.tenantdeletion.orchestrator.metrics.JobGauges;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Refreshes the job gauges from the job store with one {@code group by status} query, so every replica
 * reports the same figures and a scrape never waits for the database. When a refresh fails the gauges keep
 * their last figures (a warning says so) rather than dropping to zero.
 */
@ApplicationScoped
public class RefreshJobGaugesTask {

    private final JobQueries queries;
    private final JobGauges gauges;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    public RefreshJobGaugesTask(JobQueries queries, JobGauges gauges) {
        this.queries = queries;
        this.gauges = gauges;
    }

    /** One refresh at a time: a slow database makes refreshes rarer, never piles them up. Never fails. */
    public Uni<Void> run() {
        return Uni.createFrom().deferred(() -> {
            if (!refreshing.compareAndSet(false, true)) {
                return Uni.createFrom().voidItem();
            }
            return queries.statusCounts(JobGauges.UNSETTLED)
                    .onTermination().invoke(() -> refreshing.set(false))
                    .invoke(gauges::update)
                    .replaceWithVoid()
                    .onFailure().recoverWithItem(failure -> {
                        Log.warnf("could not refresh the job gauges from the job store (they keep their last values): %s",
                                failure.getMessage());
                        return null;
                    });
        });
    }
}
