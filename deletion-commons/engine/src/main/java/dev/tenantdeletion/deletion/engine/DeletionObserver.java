package dev.tenantdeletion.deletion.engine;

import java.time.Duration;
import java.util.Map;

/**
 * What the engine reports as it works: durations, rows, failures and the foreign-key mode. The metrics implement
 * it; the engine does not know their names, so the dependency points from the metrics to the engine.
 */
public interface DeletionObserver {

    void previewFinished(Duration duration);

    void previewFailed();

    void rowsDeleted(Map<String, Long> countsByTable);

    /** A failed call's kind, as soon as the call has failed (before its answer is built). */
    void deletionFailed(DeletionFailure failure);

    /** {@code outcome}: "success", or the failure's {@link DeletionFailure#metricKind()}. */
    void deletionFinished(String outcome, Duration duration);

    /** The mode of the latest evaluation (a call's, or the readiness check's). */
    void foreignKeyMode(ForeignKeyMode mode);
}
