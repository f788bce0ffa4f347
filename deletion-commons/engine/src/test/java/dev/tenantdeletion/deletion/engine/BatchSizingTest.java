package dev.tenantdeletion.deletion.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BatchSizingTest {

    private static final long MS = 1_000_000L;
    private static final long PLENTY = 450_000 * MS;

    @Test
    void fastFullBatchesGrowUpToTheCap() {
        BatchSizing sizing = new BatchSizing(0);
        assertEquals(5_000, sizing.rows());
        sizing.batchDone(5_000, 5_000, 50 * MS, PLENTY);       // under an eighth of the target: four times
        assertEquals(20_000, sizing.rows());
        sizing.batchDone(20_000, 20_000, 300 * MS, PLENTY);    // under half of it: twice
        assertEquals(40_000, sizing.rows());
        sizing.batchDone(40_000, 40_000, 100 * MS, 700 * MS);  // four times 100 ms would not fit in half the budget left: twice
        assertEquals(80_000, sizing.rows());
        int[] expected = {160_000, 200_000, 200_000};
        for (int next : expected) {
            sizing.batchDone(sizing.rows(), sizing.rows(), 300 * MS, PLENTY);
            assertEquals(next, sizing.rows());
        }
    }

    @Test
    void aPartialSlowOrBudgetBoundBatchDoesNotGrowIt() {
        BatchSizing sizing = new BatchSizing(0);
        sizing.batchDone(5_000, 4_999, 10 * MS, PLENTY);       // the table ran out of rows
        sizing.batchDone(5_000, 5_000, 600 * MS, PLENTY);      // over half the target
        sizing.batchDone(5_000, 5_000, 100 * MS, 300 * MS);    // twice this batch would not fit in half the budget left
        sizing.batchDone(5_000, 5_000, 1 * MS, 3 * MS);        // nor would twice a 1 ms batch in 1.5 ms
        assertEquals(5_000, sizing.rows());
    }

    @Test
    void aBatchOverTwiceTheTargetHalvesItButNotBelowTheStart() {
        BatchSizing sizing = new BatchSizing(0);
        for (int i = 0; i < 4; i++) {
            sizing.batchDone(sizing.rows(), sizing.rows(), 300 * MS, PLENTY);
        }
        assertEquals(80_000, sizing.rows());
        sizing.batchDone(80_000, 80_000, 2_500 * MS, PLENTY);
        assertEquals(40_000, sizing.rows());
        for (int i = 0; i < 5; i++) {
            sizing.batchDone(sizing.rows(), sizing.rows(), 3_000 * MS, PLENTY);
        }
        assertEquals(5_000, sizing.rows());
    }

    @Test
    void aConfiguredBatchSizeIsTheOperatorsAndNeverChanges() {
        BatchSizing sizing = new BatchSizing(7);
        sizing.batchDone(7, 7, 1 * MS, PLENTY);
        sizing.batchDone(7, 7, 5_000 * MS, PLENTY);
        assertEquals(7, sizing.rows());
    }
}
