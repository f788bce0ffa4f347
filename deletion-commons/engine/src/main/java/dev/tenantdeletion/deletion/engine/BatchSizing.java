package dev.tenantdeletion.deletion.engine;

import java.time.Duration;

/**
 * The batch size of a budgeted call on a service without deletion.batch-size: it starts at
 * {@link DeletionSettings#DEFAULT_BUDGET_BATCH_SIZE} and grows after every full batch: four times after one that took
 * less than an eighth of {@link #TARGET}, twice after one under half of it, and only as far as the predicted
 * time of the next batch stays within half of what is left of the budget; a batch that took more than twice the
 * target halves it. So a big tenant is not cut into hundreds of small transactions, each with its lock, receipt
 * update and commit (what that costs: docs/benchmarks.md, platform benchmark), yet every transaction stays around
 * a second and no batch is started that would probably outrun the budget. A configured deletion.batch-size is the
 * operator's cap: it is used as it is.
 */
final class BatchSizing {

    /** How long one batch transaction should take at most, about. */
    static final Duration TARGET = Duration.ofSeconds(1);
    /** Largest batch: its ids (RETURNING, for the set-based foreign-key checks) stay a few MB of heap. */
    static final int MAX_ROWS = 200_000;

    private static final long TARGET_NANOS = TARGET.toNanos();

    private final boolean adaptive;
    private int rows;

    BatchSizing(int configured) {
        this.adaptive = configured <= 0;
        this.rows = adaptive ? DeletionSettings.DEFAULT_BUDGET_BATCH_SIZE : configured;
    }

    int rows() {
        return rows;
    }

    /**
     * After a committed batch of {@code size} rows that deleted {@code deleted} rows of the table and {@code took} this
     * long, with {@code budgetLeft} of the call's budget left (a practically endless duration without a budget).
     */
    void batchDone(int size, long deleted, Duration took, Duration budgetLeft) {
        if (!adaptive || size != rows) {
            return;
        }
        long nanos = took.toNanos();
        if (nanos > 2 * TARGET_NANOS) {
            rows = Math.max(DeletionSettings.DEFAULT_BUDGET_BATCH_SIZE, rows / 2);
        } else if (deleted >= size) {
            // the next batch is predicted to take about `factor` times this one: it must stay under the target and
            // within half of the budget left
            int factor = nanos < TARGET_NANOS / 8 ? 4 : nanos < TARGET_NANOS / 2 ? 2 : 1;
            while (factor > 1 && factor * nanos > budgetLeft.toNanos() / 2) {
                factor /= 2;
            }
            rows = (int) Math.min(MAX_ROWS, (long) factor * rows);
        }
    }
}
