package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.model.ServiceResult;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * Hears a fan-out's progress as it happens, to record it (the job store's service-run writes). Any failure of
 * a listener call — the claim lost its lease, the database is gone — abandons the whole claim: nothing more is
 * called or recorded, and the job is left for a later claim to resume.
 */
public interface FanoutListener {

    /**
     * A DELETE call to {@code service} is about to be sent. {@code newAttempt}: it is the first call of
     * this claim or a retry after a failure; false for a continuation call after a {@code complete: false}
     * answer (counted as a call, not as an attempt).
     */
    Uni<Void> callStarted(String service, boolean newAttempt);

    /**
     * {@code service} reports these rows deleted — by a 200, or committed before a 409/500. With the
     * Idempotency-Key these are the totals of every call under the job's key since its receipt was opened, not
     * only the last call's; {@code receipt} names that receipt (null when the service names none).
     */
    Uni<Void> deleted(String service, String receipt, Map<String, Long> totals);

    /** The service's preview before its first DELETE of the job: the rows it expects to delete. */
    Uni<Void> expected(String service, long items);

    /** The service's settled result in this claim, known before the other services finish. */
    Uni<Void> finished(ServiceResult result);

    /** The pipeline is alive (a preview is being asked for): feeds the claim's stall guard. */
    default void alive(String service) {
    }

    /**
     * A call to {@code service} starts ({@code true}) or ends ({@code false}) waiting out a backoff before its next
     * attempt. Also progress for the stall guard: a claim waiting on its timer is healthy.
     */
    default void waiting(String service, boolean waiting) {
    }
}
