package dev.tenantdeletion.deletion.engine;

import java.time.Duration;

/**
 * The batch size of a budgeted call on a service without deletion.batch-size, sized by what a batch really costs:
 * it starts at {@link DeletionSettings#DEFAULT_BUDGET_BATCH_SIZE}, and after every batch the next one is given as
 * many rows as the last one's time per row predicts for {@link #AIM} — at most eight times as many as before, at most
 * {@link #MAX_ROWS}, and only as many as fit in half of what is left of the budget. A batch slower than the aim
 * shrinks the next one the same way. The aim is well under {@link #TARGET} (no transaction over a second, the
 * issue's "Transactions" figure) because the time per row is not constant: lock waits, a cold cache, a loaded
 * machine; growing by a measured rate rather than doubling blindly is what keeps the big batches under it.
 *
 * <p>Memory: the set-based foreign-key checks keep the deleted ids in the database (CheckedTransaction), so a batch of
 * a table nothing is reached through costs the heap nothing per row; a parent's batch brings its locked ids into the
 * heap (Batched), so it takes at most {@link #MAX_IDS_IN_HEAP} rows. A configured deletion.batch-size is the
 * operator's cap: it is used as it is.
 */
final class BatchSizing {

    /** How long one batch transaction may take, about, at most. */
    static final Duration TARGET = Duration.ofSeconds(1);
    /** What the next batch is sized for: 2.5 times under the target, for what the last batch's rate does not predict. */
    static final Duration AIM = Duration.ofMillis(400);
    /**
     * Largest batch (the contract's "documented adaptive bound"). 100,000, not 200,000: the 5,000,000-row benchmark's
     * leaf batches of 200,000 rows took up to 886 ms against the 400 ms their rate predicted, too near the second.
     */
    static final int MAX_ROWS = 100_000;
    /** Smallest adaptive batch: below deletion.fk-checks-min-batch-rows' default a batch would keep the slower triggers. */
    static final int MIN_ROWS = 1_000;
    /** Largest batch whose ids come into the heap (a parent's locked ids): about 2 MB of rows, whatever the tenant. */
    static final int MAX_IDS_IN_HEAP = 20_000;
    /**
     * The most a batch grows over the last one of its table: a rate measured on few rows is a weak prediction. (Eight,
     * not four, since each table is sized by its own rate: 5,000 → 40,000 → 100,000 reaches the cap a batch sooner.)
     */
    private static final int MAX_GROWTH = 8;

    private static final long AIM_NANOS = AIM.toNanos();

    private final boolean adaptive;
    private int rows;

    BatchSizing(int configured) {
        this.adaptive = configured <= 0;
        this.rows = adaptive ? DeletionSettings.DEFAULT_BUDGET_BATCH_SIZE : configured;
    }

    /** The next batch's rows. */
    int rows() {
        return rows;
    }

    /** The next batch's rows when its ids come into the heap. */
    int rowsInHeap() {
        return adaptive ? Math.min(rows, MAX_IDS_IN_HEAP) : rows;
    }

    /**
     * After a committed batch of {@code size} rows that deleted {@code deleted} rows of the table and {@code took} this
     * long, with {@code budgetLeft} of the call's budget left.
     */
    void batchDone(int size, long deleted, Duration took, Duration budgetLeft) {
        if (!adaptive) {
            return;
        }
        long nanos = took.toNanos();
        double perRow = (double) nanos / Math.max(1, deleted);
        if (nanos > AIM_NANOS) {
            // slower than aimed at (full or not): the next batch is sized down to the aim by this batch's rate
            rows = (int) Math.max(MIN_ROWS, Math.min(rows, AIM_NANOS / perRow));
        } else if (deleted >= size) {
            // a full batch under the aim: the next one as big as the rate predicts for the aim, within half the budget left
            double fits = Math.min(AIM_NANOS, budgetLeft.toNanos() / 2.0) / perRow;
            long next = (long) Math.min(Math.min(fits, (double) MAX_GROWTH * rows), MAX_ROWS);
            rows = (int) Math.max(rows, next);
        }
    }
}
