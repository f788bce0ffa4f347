package dev.tenantdeletion.deletion.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizingTest {

    private static final Duration PLENTY = ms(450_000);

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void fastFullBatchesGrowUpToTheCap() {
        BatchSizing sizing = new BatchSizing(0);
        assertEquals(5_000, sizing.rows());
        sizing.batchDone(5_000, 5_000, ms(50), PLENTY);       // under an eighth of the target: four times
        assertEquals(20_000, sizing.rows());
        sizing.batchDone(20_000, 20_000, ms(300), PLENTY);    // under half of it: twice
        assertEquals(40_000, sizing.rows());
        sizing.batchDone(40_000, 40_000, ms(100), ms(700));  // four times 100 ms would not fit in half the budget left: twice
        assertEquals(80_000, sizing.rows());
        int[] expected = {160_000, 200_000, 200_000};
        for (int next : expected) {
            sizing.batchDone(sizing.rows(), sizing.rows(), ms(300), PLENTY);
            assertEquals(next, sizing.rows());
        }
    }

    @Test
    void aPartialSlowOrBudgetBoundBatchDoesNotGrowIt() {
        BatchSizing sizing = new BatchSizing(0);
        sizing.batchDone(5_000, 4_999, ms(10), PLENTY);       // the table ran out of rows
        sizing.batchDone(5_000, 5_000, ms(600), PLENTY);      // over half the target
        sizing.batchDone(5_000, 5_000, ms(100), ms(300));    // twice this batch would not fit in half the budget left
        sizing.batchDone(5_000, 5_000, ms(1), ms(3));        // nor would twice a 1 ms batch in 1.5 ms
        assertEquals(5_000, sizing.rows());
    }

    @Test
    void aBatchOverTwiceTheTargetHalvesItButNotBelowTheStart() {
        BatchSizing sizing = new BatchSizing(0);
        for (int i = 0; i < 4; i++) {
            sizing.batchDone(sizing.rows(), sizing.rows(), ms(300), PLENTY);
        }
        assertEquals(80_000, sizing.rows());
        sizing.batchDone(80_000, 80_000, ms(2_500), PLENTY);
        assertEquals(40_000, sizing.rows());
        for (int i = 0; i < 5; i++) {
            sizing.batchDone(sizing.rows(), sizing.rows(), ms(3_000), PLENTY);
        }
        assertEquals(5_000, sizing.rows());
    }

    @Test
    void aConfiguredBatchSizeIsTheOperatorsAndNeverChanges() {
        BatchSizing sizing = new BatchSizing(7);
        sizing.batchDone(7, 7, ms(1), PLENTY);
        sizing.batchDone(7, 7, ms(5_000), PLENTY);
        assertEquals(7, sizing.rows());
    }
}
