package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
import io.quarkus.logging.Log;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A service pipeline's result in a claim, with the message that tells why it did not complete, and its log line. */
final class ServiceResults {

    private ServiceResults() {
    }

    /** What the verification preview says: every reported table listed, and none with rows left. */
    static ServiceResult verified(String name, ServiceClient.Preview preview, Set<String> reported, long durationMs) {
        Map<String, Long> counts = preview.counts();
        Set<String> missing = new TreeSet<>(reported);
        missing.removeAll(counts.keySet());
        if (!missing.isEmpty()) {
            Log.warnf("%s reported a deletion from %s but its preview does not list them: %s", name, missing, counts);
            return ServiceResult.notListed(name, missing, durationMs);
        }
        long remaining = Counts.total(counts);
        if (remaining == 0) {
            return ServiceResult.completed(name, durationMs, preview.retained());
        }
        Log.warnf("%s reported a successful deletion but its preview still shows %d rows: %s", name, remaining, counts);
        return ServiceResult.notEmpty(name, remaining, counts, durationMs);
    }

    /** The DELETE calls succeeded, but the verification preview failed for good. */
    static ServiceResult notVerified(String name, CallFailure failure, long durationMs) {
        return ServiceResult.failed(name, "not verified: the DELETE succeeded but the verification preview failed: "
                + failure.getMessage(), durationMs);
    }

    /** A call failed for good: timed out, or failed, saying whether it was retried. */
    static ServiceResult failed(String name, CallFailure failure, int attempts, int maxAttempts, long durationMs) {
        boolean timedOut = failure.kind() == CallFailure.Kind.TIMEOUT;
        String retried = failure.kind().retryable()
                ? " (attempt " + attempts + " of " + maxAttempts + ")"
                : " (not retried: " + failure.kind().outcome() + ")";
        Log.warnf("deletion in %s %s: %s%s", name, timedOut ? ServiceStatus.TIMED_OUT.value() : ServiceStatus.FAILED.value(),
                failure.getMessage(), retried);
        String error = failure.getMessage() + retried;
        return timedOut ? ServiceResult.timedOut(name, error, durationMs) : ServiceResult.failed(name, error, durationMs);
    }

    /** Anything but a call failure (a bug): the service fails, the other services go on. */
    static ServiceResult unexpected(String name, Throwable failure, long durationMs) {
        Log.errorf(failure, "unexpected failure while deleting from %s", name);
        return ServiceResult.failed(name, "unexpected error: " + failure, durationMs);
    }
}
