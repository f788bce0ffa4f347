package dev.tenantdeletion.orchestrator.model;

import java.util.Map;
import java.util.Set;

/**
 * What one service's deletion came to in one claim of the job, built by the named factories below; the
 * constructor holds the invariant that makes "completed" mean something: completed ⇔ no error and verified.
 *
 * @param remainingItems rows the verification preview still found, null when no preview was read
 * @param error          why it is not completed; null when completed
 * @param durationMs     wall time of this claim for the service: every attempt, wait and the verification
 * @param retained       what the service keeps on purpose ({@code <table>: <rule>}), from its verification
 *                       preview; null when no preview was read
 */
public record ServiceResult(String service, ServiceStatus status, boolean verified, Long remainingItems, String error,
        long durationMs, Map<String, Object> retained) {

    /** The error of a service run whose service is no longer registered. */
    public static final String UNREGISTERED = "unregistered";

    public ServiceResult {
        if (service == null || status == null) {
            throw new IllegalArgumentException("a service run's result needs its service and status");
        }
        if ((status == ServiceStatus.COMPLETED) != (error == null && verified)) {
            throw new IllegalArgumentException("a service run is completed exactly when it is verified without an error; "
                    + service + " is " + status.value() + (verified ? ", verified" : ", not verified") + ", error " + error);
        }
        if (!status.isSettled()) {
            throw new IllegalArgumentException("a service run's result is settled, not " + status.value());
        }
    }

    /** Deleted, and the verification preview read zero rows. */
    public static ServiceResult completed(String service, long durationMs, Map<String, Object> retained) {
        return new ServiceResult(service, ServiceStatus.COMPLETED, true, 0L, null, durationMs, retained);
    }

    public static ServiceResult failed(String service, String error, long durationMs) {
        return new ServiceResult(service, ServiceStatus.FAILED, false, null, error, durationMs, null);
    }

    /** The last attempt timed out. */
    public static ServiceResult timedOut(String service, String error, long durationMs) {
        return new ServiceResult(service, ServiceStatus.TIMED_OUT, false, null, error, durationMs, null);
    }

    /** The DELETE succeeded but the verification preview still shows rows. */
    public static ServiceResult notEmpty(String service, long remaining, Map<String, Long> counts, long durationMs) {
        return new ServiceResult(service, ServiceStatus.FAILED, false, remaining, "verification failed: the DELETE succeeded but the "
                + "preview still shows " + remaining + " rows " + counts, durationMs, null);
    }

    /** The verification preview leaves out tables a DELETE answer named (it could hide rows there). */
    public static ServiceResult notListed(String service, Set<String> missing, long durationMs) {
        return failed(service, "verification failed: the preview does not list " + missing
                + ", which the DELETE reported deleting from", durationMs);
    }

    /**
     * The job names a service this replica has no registry entry for: nothing was called. The error is the
     * contract's stable word; the worker logs which setting is missing.
     */
    public static ServiceResult unregistered(String service) {
        return failed(service, UNREGISTERED, 0);
    }

}
