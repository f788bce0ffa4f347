package dev.tenantdeletion.deletion.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The state of one DELETE call as its steps run one after another (never concurrently): where the batched
 * loop stands, what this call's committed transactions deleted, and its receipt.
 */
final class DeletionRun {

    private final DeletionRequest request;
    private final long started;
    private final long deadline;
    /** Rows this call's committed transactions deleted, in plan order. */
    final Map<String, Long> deleted = new LinkedHashMap<>();
    /** How this call's transactions enforce foreign keys (read from the catalog once per call). */
    ForeignKeyChecks.Prepared checks;
    /** The receipt this call adds to; null without an Idempotency-Key. */
    Receipts.Call receipt;
    /** Batched loop: the plan indexes of the tables this round drains (null: the round has not started), the position among them, and the round. */
    List<Integer> tablesWithRows;
    private int position;
    int round;
    /** Whether the call found the tenant empty in every planned table. */
    boolean complete;
    /** The size of the next batch (batched calls). */
    final BatchSizing batches;

    DeletionRun(DeletionRequest request, List<String> tables, long startedNanos, int configuredBatchSize) {
        this.request = request;
        this.batches = new BatchSizing(configuredBatchSize);
        this.started = startedNanos;
        this.deadline = request.budget() == null ? Long.MAX_VALUE : startedNanos + request.budget().toNanos();
        tables.forEach(t -> deleted.put(t, 0L));
    }

    UUID tenant() {
        return request.tenant();
    }

    /** Nanoseconds left of the budget (Long.MAX_VALUE without one). */
    long budgetLeftNanos() {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }

    boolean outOfTime() {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    void add(Map<String, Long> counts) {
        counts.forEach((table, rows) -> deleted.merge(table, rows, Long::sum));
    }

    void startRound(List<Integer> tables) {
        tablesWithRows = tables;
        position = 0;
    }

    int currentTable() {
        return tablesWithRows.get(position);
    }

    /** The current table gave an empty batch; after the last one the round ends (the next one checks again). */
    void tableDone() {
        position++;
        if (position == tablesWithRows.size()) {
            endRound();
        }
    }

    /** Ends the round: the next one starts with a fresh check of which tables hold rows. */
    void endRound() {
        round++;
        tablesWithRows = null;
    }

    boolean roundsLeft(int maxRounds) {
        return round < maxRounds;
    }

    long total() {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
