package dev.tenantdeletion.deletion.engine;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The state of one DELETE call as its transactions run one after another (never concurrently): its budget, what
 * its committed transactions deleted, how its transactions check foreign keys, its receipt and whether it found
 * the tenant empty. Where a strategy stands within the call is the strategy's own (see {@link Batched}).
 */
final class DeletionCall {

    /** What {@link #budgetLeft} answers for a call without a budget. */
    private static final Duration ENDLESS = Duration.ofNanos(Long.MAX_VALUE);

    private final DeletionRequest request;
    private final long started;
    private final long deadline;
    /** Rows this call's committed transactions deleted, in plan order. */
    private final Map<String, Long> deleted = new LinkedHashMap<>();
    /** How this call's transactions enforce foreign keys (read from the catalog once per call). */
    private PreparedChecks checks;
    /** The receipt this call adds to; null without an Idempotency-Key. */
    private Receipts.LatestCall receipt;
    /** The planned tables that are partitioned and the tenant's own partitions (read once per call). */
    private TenantPartitions partitions = TenantPartitions.NONE;
    private boolean complete;
    /** The plan indexes of the tables that held rows when the call began (its first statement). */
    private List<Integer> tablesWithRows;

    /** {@code bound}: the call's budget, or without one the engine's bound (null: none, one transaction). */
    DeletionCall(DeletionRequest request, List<String> tables, long startedNanos, Duration bound) {
        this.request = request;
        this.started = startedNanos;
        this.deadline = bound == null ? Long.MAX_VALUE : startedNanos + bound.toNanos();
        tables.forEach(t -> deleted.put(t, 0L));
    }

    UUID tenant() {
        return request.tenant();
    }

    DeletionRequest request() {
        return request;
    }

    PreparedChecks checks() {
        return checks;
    }

    void checks(PreparedChecks checks) {
        this.checks = checks;
    }

    void tablesWithRows(List<Integer> tables) {
        this.tablesWithRows = tables;
    }

    List<Integer> tablesWithRows() {
        return tablesWithRows;
    }

    TenantPartitions partitions() {
        return partitions;
    }

    void partitions(TenantPartitions partitions) {
        this.partitions = partitions;
    }

    /** Null without an Idempotency-Key. */
    Receipts.LatestCall receipt() {
        return receipt;
    }

    void receipt(Receipts.LatestCall receipt) {
        this.receipt = receipt;
    }

    /** Whether the call found the tenant empty in every planned table. */
    boolean complete() {
        return complete;
    }

    void markComplete() {
        complete = true;
    }

    /** What is left of the budget (an endless duration without one). */
    Duration budgetLeft() {
        return deadline == Long.MAX_VALUE ? ENDLESS : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    boolean outOfTime() {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    /** Counts of a committed transaction. */
    void add(Map<String, Long> counts) {
        counts.forEach((table, rows) -> deleted.merge(table, rows, Long::sum));
    }

    /** Rows this call's committed transactions deleted, per table in plan order. */
    Map<String, Long> deleted() {
        return Collections.unmodifiableMap(deleted);
    }

    long total() {
        return DeletionSummary.total(deleted);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
