package dev.tenantdeletion.deletion.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizingTest {

    private static final Duration PLENTY = ms(450_000);

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void fullBatchesGrowByTheirRateTowardsTheAimAndUpToTheCap() {
        BatchSizing sizing = new BatchSizing(0);
        assertEquals(5_000, sizing.rows());
        sizing.batchDone(5_000, 5_000, ms(10), PLENTY);       // 2 µs a row predicts 200,000 for 400 ms: at most eight times
        assertEquals(40_000, sizing.rows());
        sizing.batchDone(40_000, 40_000, ms(800), PLENTY);    // 20 µs a row: 20,000 rows make 400 ms
        assertEquals(20_000, sizing.rows());
        sizing.batchDone(20_000, 20_000, ms(200), PLENTY);    // 10 µs a row: 40,000 rows make 400 ms
        assertEquals(40_000, sizing.rows());
        sizing.batchDone(40_000, 40_000, ms(40), ms(120));    // 1 µs a row, but half the budget left is 60 ms: 60,000
        assertEquals(60_000, sizing.rows());
        sizing.batchDone(60_000, 60_000, ms(30), PLENTY);     // 0.5 µs a row: 800,000 by the rate, 100,000 by the cap
        assertEquals(BatchSizing.MAX_ROWS, sizing.rows());
        assertEquals(100_000, BatchSizing.MAX_ROWS);
    }

    @Test
    void aPartialOrBudgetBoundBatchDoesNotGrowIt() {
        BatchSizing sizing = new BatchSizing(0);
        sizing.batchDone(5_000, 4_999, ms(10), PLENTY);       // the table ran out of rows
        sizing.batchDone(5_000, 5_000, ms(100), ms(150));     // the next would not fit in half the budget left
        sizing.batchDone(5_000, 5_000, ms(1), ms(1));
        assertEquals(5_000, sizing.rows());
    }

    @Test
    void aBatchSlowerThanTheAimShrinksTheNextToItByItsRateButNotBelowTheMinimum() {
        BatchSizing sizing = new BatchSizing(0);
        sizing.batchDone(5_000, 5_000, ms(10), PLENTY);
        assertEquals(40_000, sizing.rows());
        sizing.batchDone(40_000, 40_000, ms(40), PLENTY);     // 1 µs a row: 400,000 by the rate, 320,000 by the growth, the cap
        assertEquals(BatchSizing.MAX_ROWS, sizing.rows());
        sizing.batchDone(BatchSizing.MAX_ROWS, 80_000, ms(1_600), PLENTY); // the table's last 80,000, 20 µs a row: 20,000 make 400 ms
        assertEquals(20_000, sizing.rows());
        sizing.batchDone(20_000, 10, ms(5_000), PLENTY);      // a lock wait: as small as it gets
        assertEquals(BatchSizing.MIN_ROWS, sizing.rows());
    }

    @Test
    void everyPredictedBatchStaysUnderTheTargetAtAConstantRate() {
        for (long nanosPerRow : new long[] {300, 2_000, 9_000, 40_000}) {
            BatchSizing sizing = new BatchSizing(0);
            for (int i = 0; i < 20; i++) {
                int size = sizing.rows();
                Duration took = Duration.ofNanos(size * nanosPerRow);
                assertTrue(took.compareTo(BatchSizing.TARGET) < 0 || i == 0, nanosPerRow + " ns a row: " + size + " rows took " + took);
                sizing.batchDone(size, size, took, PLENTY);
            }
        }
    }

    @Test
    void aParentsBatchWhoseIdsComeIntoTheHeapIsCapped() {
        BatchSizing sizing = new BatchSizing(0);
        sizing.batchDone(5_000, 5_000, ms(1), PLENTY);
        assertEquals(40_000, sizing.rows());
        assertEquals(BatchSizing.MAX_IDS_IN_HEAP, sizing.rowsInHeap());
        assertEquals(70_000, new BatchSizing(70_000).rowsInHeap()); // the operator's setting stays the operator's
    }

    @Test
    void aConfiguredBatchSizeIsTheOperatorsAndNeverChanges() {
        BatchSizing sizing = new BatchSizing(7);
        sizing.batchDone(7, 7, ms(1), PLENTY);
        sizing.batchDone(7, 7, ms(5_000), PLENTY);
        assertEquals(7, sizing.rows());
    }
}
