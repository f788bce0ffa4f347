package dev.tenantdeletion.orchestrator.fanout;

/**
 * What one service's deletion came to in one run.
 *
 * @param status         {@code completed} (deleted and verified empty), {@code failed} or {@code timed_out}
 * @param remainingItems rows the verification preview still found, null when no preview was read
 * @param error          why it is not completed; null when completed
 * @param durationMs     wall time of this run for the service: every attempt, wait and the verification
 * @param retained       what the service keeps on purpose ({@code <table>: <rule>}), from its verification
 *                       preview; null when no preview was read
 */
public record ServiceResult(String service, String status, boolean verified, Long remainingItems, String error,
        long durationMs, java.util.Map<String, Object> retained) {

    public ServiceResult(String service, String status, boolean verified, Long remainingItems, String error, long durationMs) {
        this(service, status, verified, remainingItems, error, durationMs, null);
    }

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String TIMED_OUT = "timed_out";
}
