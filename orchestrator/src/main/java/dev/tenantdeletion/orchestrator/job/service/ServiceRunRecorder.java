package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.fanout.FanoutListener;
import dev.tenantdeletion.orchestrator.fanout.ClaimAbandoned;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.ServiceRunWrites;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.ReceiptTally;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * Records one claim's fan-out progress as service-run writes, as long as the claim keeps its lease: a write the
 * lease no longer covers fails with {@link ClaimAbandoned}, which stops the claim. Every event also counts as
 * progress for the claim's stall guard.
 */
final class ServiceRunRecorder implements FanoutListener {

    private final ServiceRunWrites writes;
    private final OrchestratorMetrics metrics;
    private final Claim claim;
    /** Per service, its counts as stored or answered so far in this claim, by receipt. */
    private final Map<String, ReceiptTally> deleted;
    private final Runnable progress;
    private final JobSlots.ClaimSlot slot;

    ServiceRunRecorder(ServiceRunWrites writes, OrchestratorMetrics metrics, Claim claim, Map<String, ReceiptTally> deleted,
            Runnable progress, JobSlots.ClaimSlot slot) {
        this.slot = slot;
        this.writes = writes;
        this.metrics = metrics;
        this.claim = claim;
        this.deleted = deleted;
        this.progress = progress;
    }

    @Override
    public Uni<Void> callStarted(String service, boolean newAttempt) {
        progress.run();
        return requireLease(writes.callStarted(claim.jobId(), claim.leaseOwner(), service, newAttempt));
    }

    /**
     * Every answer under the job's Idempotency-Key carries the totals of all calls made with that key since the
     * service opened its receipt — across calls, retries, timed-out calls whose answer was lost, and earlier claims
     * (the key is the same for the whole job). So within one receipt the answer REPLACES what is stored (summing would
     * count each call's rows again with every later answer); an answer from a new receipt (the service pruned the old
     * one after its retention) is added to what the old one counted: {@link ReceiptTally}.
     */
    @Override
    public Uni<Void> deleted(String service, String receipt, Map<String, Long> counts) {
        progress.run();
        ReceiptTally tally = deleted.compute(service, (name, known) ->
                (known == null ? ReceiptTally.stored(null, Map.of(), Map.of()) : known).report(receipt, counts));
        return requireLease(writes.recordDeleted(claim.jobId(), claim.leaseOwner(), service, tally).map(added -> {
            added.ifPresent(rows -> metrics.rowsDeleted(service, rows));
            return added.isPresent();
        }));
    }

    @Override
    public Uni<Void> expected(String service, long items) {
        progress.run();
        return requireLease(writes.recordExpected(claim.jobId(), claim.leaseOwner(), service, items));
    }

    @Override
    public Uni<Void> finished(ServiceResult result) {
        progress.run();
        slot.finished();
        return requireLease(writes.recordResult(claim.jobId(), claim.leaseOwner(), result));
    }

    @Override
    public void alive(String service) {
        progress.run();
    }

    @Override
    public void waiting(String service, boolean waiting) {
        progress.run();
        slot.waiting(waiting);
    }

    /** The write went through (the lease is kept), or the claim is abandoned: another replica may run the job now. */
    private Uni<Void> requireLease(Uni<Boolean> write) {
        return write.chain(kept -> kept ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new ClaimAbandoned("lease of job " + claim.jobId() + " lost", null)));
    }
}
