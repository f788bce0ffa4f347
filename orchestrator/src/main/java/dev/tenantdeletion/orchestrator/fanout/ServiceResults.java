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
    static ServiceResult notVerified(ServiceCalls calls, CallFailure failure) {
        Log.warnf("job %s: deletion in %s not verified: %s; detail: %s", calls.jobId(), calls.name(), failure.getMessage(),
                failure.detail());
        return ServiceResult.failed(calls.name(), "not verified: the DELETE succeeded but the verification preview failed: "
                + failure.getMessage(), calls.elapsedMillis());
    }

    /**
     * A call failed for good: timed out, or failed, saying whether it was retried. The job records the failure's message
     * (stable words: {@link ServiceClient} never puts a service's raw body or an exception's text in it); the log line
     * adds the detail and names the job.
     */
    static ServiceResult failed(ServiceCalls calls, CallFailure failure, RetryPolicy policy) {
        boolean timedOut = failure.kind() == CallFailure.Kind.TIMEOUT;
        String retried = !failure.kind().retryable() ? " (not retried: " + failure.kind().outcome() + ")"
                : failure.unavailable() && !policy.horizon().isZero()
                        ? " (attempt " + calls.attempts() + ", still unavailable after the retry horizon of " + policy.horizon() + ")"
                        : " (attempt " + calls.attempts() + " of " + policy.maxAttempts() + ")";
        Log.warnf("job %s: deletion in %s %s: %s%s; detail: %s", calls.jobId(), calls.name(),
                timedOut ? ServiceStatus.TIMED_OUT.value() : ServiceStatus.FAILED.value(), failure.getMessage(), retried, failure.detail());
        String error = failure.getMessage() + retried;
        return timedOut ? ServiceResult.timedOut(calls.name(), error, calls.elapsedMillis())
                : ServiceResult.failed(calls.name(), error, calls.elapsedMillis());
    }

    /** Anything but a call failure (a bug): the service fails, the other services go on; the exception is for the log only. */
    static ServiceResult unexpected(ServiceCalls calls, Throwable failure) {
        Log.errorf(failure, "job %s: unexpected failure while deleting from %s", calls.jobId(), calls.name());
        return ServiceResult.failed(calls.name(), "unexpected error", calls.elapsedMillis());
    }
}
