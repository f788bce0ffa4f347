package dev.tenantdeletion.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Batched mode (deletion.batch-size > 0): run by a service with {@code @TestProfile(BatchedModeProfile.class)}.
 */
public abstract class BatchedDeletionSuite extends ServiceTestSupport {

    private static final int ROWS = 120;

    @Test
    void batchesSmallerThanTheTenantDeleteEverything() {
        UUID tenant = seededTenant(ROWS);
        List<UUID> neighbours = List.of(seededTenant(ROWS), seededTenant(ROWS), seededTenant(ROWS));
        Map<UUID, Map<String, String>> before = checksums(neighbours);
        Map<String, Long> seeded = counts(tenant);
        assertTrue(seeded.values().stream().anyMatch(n -> n > BatchedModeProfile.BATCH_SIZE), "needs more rows than a batch");

        Response response = delete(TestTokens.service(), tenant);
        response.then().statusCode(200).body("summary.complete", equalTo(true)).body("summary.success", equalTo(true));
        assertEquals(seeded, longs(response, "summary.deleted_counts"));
        assertEquals(0L, TestDb.total(counts(tenant)));
        assertEquals(before, checksums(neighbours));
    }

    /**
     * A budgeted call reads the tenant's rows by index only (its first statement, every batch, the closing check): no
     * table is read whole, whatever share of it the planner's statistics give the tenant — a sequential scan steps over
     * every other tenant's rows and the rows the call has just deleted (the old code: a sequential scan per batch and
     * per check).
     */
    @Test
    void aDeletionReadsNoTableWhole() {
        UUID tenant = seededTenant(ROWS);
        List<UUID> neighbours = List.of(seededTenant(ROWS), seededTenant(ROWS));
        Map<UUID, Map<String, String>> before = checksums(neighbours);
        TestDb.execute("analyze");
        Map<String, Long> scansBefore = TableScans.reported();

        Response response = delete(UUID.randomUUID().toString(), "5000", tenant);
        Map<String, Long> scansAfter = TableScans.reported();

        response.then().statusCode(200).body("summary.complete", equalTo(true));
        // a whole-partition erasure drops its table: the tables still there are compared
        scansAfter.forEach((table, scans) -> assertEquals(scansBefore.get(table), scans, "sequential scans of " + table + " by the deletion"));
        assertEquals(0L, TestDb.total(counts(tenant)));
        assertEquals(before, checksums(neighbours));
    }

    @Test
    void failureBetweenBatchesLeavesAValidPartialStateThatARerunFinishes() {
        UUID tenant = seededTenant(ROWS);
        UUID neighbour = seededTenant(ROWS);
        Map<String, String> neighbourBefore = checksums(neighbour);
        Map<String, Long> seeded = counts(tenant);
        String first = tables().get(0);
        assertTrue(seeded.get(first) > 3L * BatchedModeProfile.BATCH_SIZE, "first table needs more than three batches");

        TestDb.execute(TestTriggers.failAfter(first, 2));
        Response failed;
        try {
            failed = delete(TestTokens.service(), tenant);
        } finally {
            TestDb.execute(TestTriggers.drop(first));
        }
        failed.then().statusCode(500)
                .body("error", equalTo("deletion_failed"))
                .body("summary.success", equalTo(false))
                .body("summary.complete", equalTo(false))
                .body("summary.errors.size()", equalTo(1));
        long committed = 2L * BatchedModeProfile.BATCH_SIZE;
        assertEquals(committed, longs(failed, "summary.deleted_counts").get(first));
        Map<String, Long> left = counts(tenant);
        Map<String, Long> expectedLeft = new HashMap<>(seeded);
        expectedLeft.put(first, seeded.get(first) - committed);
        assertEquals(expectedLeft, new HashMap<>(left), "exactly the committed batches are gone; foreign keys hold the rest");

        Response rerun = delete(TestTokens.service(), tenant);
        rerun.then().statusCode(200).body("summary.complete", equalTo(true)).body("summary.success", equalTo(true));
        assertEquals(left, longs(rerun, "summary.deleted_counts"));
        assertEquals(0L, TestDb.total(counts(tenant)));
        assertEquals(neighbourBefore, checksums(neighbour));
    }

    @Test
    void aConflictCountsTheCommittedBatches() throws Exception {
        assertConflictCountsCommittedBatches(null);
    }

    /**
     * A tenant that takes many budgeted calls (each batch is slowed down): every call but the last answers
     * complete=false within its budget, the totals under the key only grow, and the last one is exact.
     */
    @Test
    void aBudgetedDeletionOfATenantNeedingManyCallsEndsExact() {
        UUID tenant = seededTenant(ROWS);
        UUID neighbour = seededTenant(ROWS);
        Map<String, String> neighbourBefore = checksums(neighbour);
        Map<String, Long> seeded = counts(tenant);
        String key = "many-calls-" + UUID.randomUUID();
        tables().forEach(table -> TestDb.execute(TestTriggers.sleepBeforeDelete(table, 0.03)));
        List<Long> totals = new java.util.ArrayList<>();
        Response last;
        try {
            do {
                last = delete(key, "100", tenant);
                last.then().statusCode(200).body("summary.success", equalTo(true));
                totals.add(last.jsonPath().getLong("summary.total_deleted"));
                assertTrue(totals.size() < 200, "the deletion does not converge: " + totals);
            } while (!last.jsonPath().getBoolean("summary.complete"));
        } finally {
            tables().forEach(table -> TestDb.execute(TestTriggers.dropAll(table)));
        }
        assertTrue(totals.size() >= 4, "a 100 ms budget stops each call early: " + totals);
        for (int i = 1; i < totals.size(); i++) {
            assertTrue(totals.get(i) >= totals.get(i - 1), "totals under a key never shrink: " + totals);
        }
        assertEquals(seeded, longs(last, "summary.deleted_counts"));
        assertEquals(0L, TestDb.total(counts(tenant)));
        assertEquals(neighbourBefore, checksums(neighbour));
    }
}
