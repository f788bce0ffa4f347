package dev.tenantdeletion.orchestrator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptTallyTest {

    private static final String FIRST = "2026-12-04T10:00:00.123456Z";
    private static final String SECOND = "2026-12-05T10:00:00.654321Z";

    @Test
    void answersOfOneReceiptReplaceWhatWasKnownAndNeverShrinkIt() {
        ReceiptTally tally = ReceiptTally.stored(null, Map.of(), Map.of())
                .report(FIRST, Map.of("t", 60L, "s", 0L))
                .report(FIRST, Map.of("t", 100L, "s", 4L))
                // a re-sent, older answer of the same receipt
                .report(FIRST, Map.of("t", 60L, "s", 0L));
        assertEquals(Map.of("t", 100L, "s", 4L), tally.deleted());
        assertEquals(FIRST, tally.receipt());
    }

    @Test
    void aNewReceiptIsAddedToWhatThePrunedOneCounted() {
        ReceiptTally tally = ReceiptTally.stored(null, Map.of(), Map.of())
                .report(FIRST, Map.of("t", 60L, "s", 0L))
                .report(SECOND, Map.of("t", 40L, "s", 4L))
                .report(SECOND, Map.of("t", 45L, "s", 4L));
        assertEquals(Map.of("t", 105L, "s", 4L), tally.deleted());
        assertEquals(Map.of("t", 60L, "s", 0L), tally.carried());
    }

    @Test
    void aStoredTallyResumesWhereTheLastClaimLeftIt() {
        ReceiptTally stored = ReceiptTally.stored(SECOND, Map.of("t", 60L), Map.of("t", 100L, "s", 4L));
        assertEquals(Map.of("t", 40L, "s", 4L), stored.current());
        assertEquals(Map.of("t", 110L, "s", 4L), stored.report(SECOND, Map.of("t", 50L, "s", 4L)).deleted());
        assertEquals(Map.of("t", 101L, "s", 4L), stored.report("2026-12-06T00:00:00Z", Map.of("t", 1L)).deleted());
    }

    @Test
    void aServiceThatNamesNoReceiptIsMergedAsBefore() {
        ReceiptTally tally = ReceiptTally.stored(null, Map.of(), Map.of("t", 60L))
                .report(null, Map.of("t", 50L))
                .report(null, Map.of("t", 70L));
        assertEquals(Map.of("t", 70L), tally.deleted());
    }
}
