package dev.tenantdeletion.deletion.engine;

/**
 * The batch size of a budgeted call on a service without deletion.batch-size: it starts at
 * {@link DeletionSettings#DEFAULT_BUDGET_BATCH_SIZE} and grows after every full batch: four times after one that took
 * less than an eighth of {@link #TARGET_NANOS}, twice after one under half of it, and only as far as the predicted
 * time of the next batch stays within half of what is left of the budget; a batch that took more than twice the
 * target halves it. So a big tenant is not cut into hundreds of 5,000-row transactions,
 * each with its lock, receipt update and commit (the platform benchmark's job at 1,000,000 rows: 1.12 x the raw
 * DELETEs with triggers with fixed 5,000-row batches, 0.56-0.70 x growing), yet every transaction stays around a
 * second and no batch is started that would probably outrun the budget. A configured deletion.batch-size is the
 * operator's cap: it is used as it is.
 */
final class BatchSizing {

    /** How long one batch transaction should take at most, about. */
    static final long TARGET_NANOS = 1_000_000_000L;
    /** Largest batch: its ids (RETURNING, for the set-based foreign-key checks) stay a few MB of heap. */
    static final int MAX_ROWS = 200_000;

    private final boolean adaptive;
    private int rows;

    BatchSizing(int configured) {
        this.adaptive = configured <= 0;
        this.rows = adaptive ? DeletionSettings.DEFAULT_BUDGET_BATCH_SIZE : configured;
    }

    int rows() {
        return rows;
    }

    /** After a committed batch of {@code size} rows that deleted {@code deleted} of the table in {@code nanos}. */
    void batchDone(int size, long deleted, long nanos, long budgetLeftNanos) {
        if (!adaptive || size != rows) {
            return;
        }
        if (nanos > 2 * TARGET_NANOS) {
            rows = Math.max(DeletionSettings.DEFAULT_BUDGET_BATCH_SIZE, rows / 2);
        } else if (deleted >= size) {
            // the next batch is predicted to take about `factor` times this one: it must stay under the target and
            // within half of the budget left
            int factor = nanos < TARGET_NANOS / 8 ? 4 : nanos < TARGET_NANOS / 2 ? 2 : 1;
            while (factor > 1 && factor * nanos > budgetLeftNanos / 2) {
                factor /= 2;
            }
            rows = (int) Math.min(MAX_ROWS, (long) factor * rows);
        }
    }
}
