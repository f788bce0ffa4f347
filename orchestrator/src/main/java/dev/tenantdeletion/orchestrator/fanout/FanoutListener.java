package dev.tenantdeletion.orchestrator.fanout;

import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * Hears a fan-out's progress as it happens, to record it (the job store). Any failure of a listener
 * call — the run's claim was lost, the database is gone — abandons the whole run: nothing more is
 * called or recorded, and the job is left for a later claim to resume.
 */
public interface FanoutListener {

    /** Attempt {@code attempt} (from 1) of the DELETE to {@code service} is about to be sent. */
    Uni<Void> attemptStarted(String service, int attempt);

    /** {@code service} reports these rows deleted (by a successful DELETE, or committed by a failed one). */
    Uni<Void> deleted(String service, Map<String, Long> counts);

    /** The service's final result in this run, known before the other services finish. */
    Uni<Void> finished(ServiceResult result);
}
