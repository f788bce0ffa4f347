package dev.tenantdeletion.testing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.engine.ReceiptPruning;
import dev.tenantdeletion.deletion.engine.TenantLock;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules for long deletions and lost answers (receipts, budgets, bounded lock waits,
 * checked foreign-key conflicts, coverage), against the real service on a real database. A service runs it
 * like the contract suite (same resources, so the same application start).
 */
public abstract class BoundedDeletionSuite extends ServiceTestSupport {

    private static final int ROWS = 60;

    @Inject
    ReceiptPruning pruning;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "deletion.lock-wait")
    Duration lockWait;

    /** deletion.statement-timeout (60s) reaches PostgreSQL as a connection parameter of the service's pool. */
    @Test
    void everyConnectionOfThePoolHasAStatementTimeout() {
        var row = pool.query("select current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout')")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals("1min", row.getString(0));
        assertEquals("1min", row.getString(1));
    }

    @Test
    void aLostAnswerIsNotLostFromTheCount() throws Exception {
        UUID tenant = seededTenant(ROWS);
        UUID neighbour = seededTenant(ROWS);
        Map<String, String> neighbourBefore = checksums(neighbour);
        Map<String, Long> seeded = counts(tenant);
        String key = "lost-answer-" + UUID.randomUUID();
        String last = tables().get(tables().size() - 1);

        // the caller gives up before the answer comes; the deletion commits anyway
        TestDb.execute(TestTriggers.sleepBeforeDelete(last, 1.5));
        try {
            RestAssuredConfig impatient = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.socket.timeout", 300));
            Exception lost = assertThrows(Exception.class, () -> RestAssured.given().config(impatient)
                    .header("Authorization", "Bearer " + TestTokens.service()).header("Idempotency-Key", key)
                    .delete(basePath + "/tenant/" + tenant));
            assertTrue(causedBy(lost, SocketTimeoutException.class), lost.toString());
        } finally {
            TestDb.execute(TestTriggers.dropAll(last)); // waits for the abandoned transaction to end
        }
        assertEquals(0L, TestDb.total(counts(tenant)), "the abandoned call deleted the tenant");

        // the same key again: nothing is left to delete, and the answer carries the lost call's counts
        Response again = delete(key, null, tenant);
        again.then().statusCode(200).body("summary.complete", equalTo(true)).body("summary.total_deleted", equalTo((int) TestDb.total(seeded)));
        assertEquals(seeded, longs(again, "summary.deleted_counts"));
        // a new key knows nothing of them
        Response fresh = delete("another-" + UUID.randomUUID(), null, tenant);
        fresh.then().statusCode(200).body("summary.total_deleted", equalTo(0));

        try (Connection db = TestDb.connect(); Statement sql = db.createStatement();
                ResultSet receipt = sql.executeQuery("select tenant_id, calls, complete, deleted_counts::text, first_call_at <= last_call_at"
                        + " from deletion_receipts where idempotency_key = '" + key + "'")) {
            assertTrue(receipt.next(), "the receipt is in the service's database");
            assertEquals(tenant.toString(), receipt.getString(1));
            assertEquals(2, receipt.getInt(2), "two calls under the key");
            assertTrue(receipt.getBoolean(3));
            assertTrue(receipt.getBoolean(5));
        }
        assertEquals(neighbourBefore, checksums(neighbour));
    }

    @Test
    void aKeyOfAnotherTenantIs422AndTouchesNothing() {
        UUID first = seededTenant(ROWS);
        UUID second = seededTenant(ROWS);
        String key = "reused-" + UUID.randomUUID();
        delete(key, null, first).then().statusCode(200);
        Map<String, String> before = checksums(second);
        delete(key, null, second).then().statusCode(422).body("error", equalTo("idempotency_key_reused"));
        assertEquals(before, checksums(second));
    }

    @Test
    void badBudgetsAndKeysAre400AndTouchNothing() {
        UUID tenant = seededTenant(ROWS);
        Map<String, String> before = checksums(tenant);
        for (String budget : List.of("99", "600001", "abc", "-100", "1.5", "", "1e3", "0100000000")) {
            Response response = delete(null, budget, tenant);
            assertEquals(400, response.statusCode(), "max_duration_ms '" + budget + "': " + response.asString());
            response.then().body("error", equalTo("invalid_parameter"));
        }
        for (String key : List.of("with space", "x".repeat(256), "caf\u00e9", "tab\tkey")) {
            Response response = delete(key, null, tenant);
            assertEquals(400, response.statusCode(), "key '" + key + "': " + response.asString());
            response.then().body("error", equalTo("invalid_parameter"));
        }
        assertEquals(before, checksums(tenant));
        delete("k".repeat(255), "100", tenant).then().statusCode(200);
        delete(null, "600000", tenant).then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    @Test
    void aBudgetedCallDeletesInBatchesAndFinishes() {
        UUID tenant = seededTenant(ROWS);
        Map<String, Long> seeded = counts(tenant);
        Response response = delete("budget-" + UUID.randomUUID(), "60000", tenant);
        response.then().statusCode(200).body("summary.complete", equalTo(true)).body("summary.success", equalTo(true));
        assertEquals(seeded, longs(response, "summary.deleted_counts"));
    }

    /** The tenant's application writes a child row between the deletion of the children and of its parent. */
    @Test
    void rowsTheTenantWritesMeanwhileAreDeletedAndCounted() throws Exception {
        for (String budget : new String[] {null, "60000"}) {
            UUID tenant = seededTenant(ROWS);
            UUID neighbour = seededTenant(ROWS);
            Map<String, String> neighbourBefore = checksums(neighbour);
            Map<String, Long> expected = new HashMap<>(counts(tenant));
            TenantSeeder.LateChild late = seeder().lateChild(tenant);
            expected.merge(late.childTable(), 1L, Long::sum);
            long gate = 0x7e57_0000_0000_0001L;

            Response response;
            try (Connection holder = TestDb.connect(); Statement lock = holder.createStatement()) {
                lock.execute("select pg_advisory_lock(" + gate + ")");
                TestDb.execute(TestTriggers.waitForLock(late.parentTable(), gate));
                CompletableFuture<Response> call = CompletableFuture.supplyAsync(() -> delete("late-" + UUID.randomUUID(), budget, tenant));
                awaitWaiterOn(gate);
                TestDb.execute(late.insertSql()); // committed while the deletion waits before the parent table
                lock.execute("select pg_advisory_unlock(" + gate + ")");
                response = call.get(30, TimeUnit.SECONDS);
            } finally {
                TestDb.execute(TestTriggers.dropAll(late.parentTable()));
            }
            String mode = budget == null ? "one transaction" : "batched";
            assertEquals(200, response.statusCode(), mode + ": " + response.asString());
            response.then().body("summary.complete", equalTo(true));
            assertEquals(expected, new HashMap<>(longs(response, "summary.deleted_counts")), mode + ": the late row is counted");
            assertEquals(0L, TestDb.total(counts(tenant)), mode);
            assertEquals(neighbourBefore, checksums(neighbour), mode);
        }
    }

    /** Own rows that keep breaking the parent's foreign key are a retryable 500, never a cross-tenant conflict. */
    @Test
    void ownRowsWrittenInEveryRoundAre500NotAConflict() {
        UUID tenant = seededTenant(ROWS);
        Map<String, String> before = checksums(tenant);
        TenantSeeder.LateChild late = seeder().lateChild(tenant);
        TestDb.execute(TestTriggers.insertBeforeDelete(late.parentTable(), late.insertSql(), 1_000));
        Response response;
        try {
            response = delete(TestTokens.service(), tenant);
        } finally {
            TestDb.execute(TestTriggers.dropAll(late.parentTable()));
        }
        response.then().statusCode(500)
                .body("error", equalTo("deletion_failed"))
                .body("message", containsString("rows of this tenant"))
                .body("message", not(containsString("foreign key conflict")))
                .body("summary.success", equalTo(false));
        assertEquals(before, checksums(tenant), "one transaction: nothing deleted");
    }

    @Test
    void aConflictWithABudgetCountsTheCommittedBatches() throws Exception {
        assertConflictCountsCommittedBatches("60000");
    }

    @Test
    void aLockHeldElsewhereAnswers503WithRetryAfterAndTouchesNothing() throws Exception {
        UUID tenant = seededTenant(ROWS);
        Map<String, String> before = checksums(tenant);
        try (Connection holder = TestDb.connect(); Statement lock = holder.createStatement()) {
            lock.execute("select pg_advisory_lock(" + TenantLock.key(tenant) + ")");
            for (String budget : new String[] {null, "5000"}) {
                Response busy = delete("busy-" + UUID.randomUUID(), budget, tenant);
                busy.then().statusCode(503).body("error", equalTo("deletion_in_progress"))
                        .header("Retry-After", String.valueOf(lockWait.toSeconds()));
            }
            assertEquals(before, checksums(tenant));
            assertEquals(0, waitersOnTheTenantLock(holder, tenant), "no call still queues on the lock");
        }
        delete(TestTokens.service(), tenant).then().statusCode(200);
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    @Test
    void deleteWhileCoverageFailsIs503AndTouchesNothing() {
        UUID tenant = seededTenant(ROWS);
        Map<String, String> before = checksums(tenant);
        TestDb.execute("create table deletion_test_unplanned (id uuid primary key, tenant_id uuid not null)",
                "insert into deletion_test_unplanned values (gen_random_uuid(), '" + tenant + "')");
        try {
            delete(TestTokens.service(), tenant).then().statusCode(503)
                    .body("error", equalTo("coverage_failed"))
                    .body("message", containsString("deletion_test_unplanned"));
            assertEquals(before, checksums(tenant));
        } finally {
            TestDb.execute("drop table deletion_test_unplanned");
        }
        delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
    }

    @Test
    void receiptsArePrunedAfterTheirRetention() {
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        TestDb.execute("insert into deletion_receipts (idempotency_key, tenant_id, first_call_at, last_call_at) values"
                + " ('" + old + "', gen_random_uuid(), now() - interval '40 days', now() - interval '31 days'),"
                + " ('" + recent + "', gen_random_uuid(), now() - interval '40 days', now() - interval '29 days')");
        int pruned = pruning.prune().await().atMost(Duration.ofSeconds(10));
        assertTrue(pruned >= 1);
        assertEquals(0L, receiptCount(old), "older than deletion.receipts.retention (P30D)");
        assertEquals(1L, receiptCount(recent));
    }

    /**
     * The answer names its receipt: a key whose receipt was pruned opens a new one, with a later first_call_at and
     * totals from zero, so the caller knows to add the new totals to what it had (issue 22: a max-merge under-counted).
     */
    @Test
    void aReceiptOpenedAgainAfterPruningIsNamedAnew() {
        UUID tenant = seededTenant(ROWS);
        Map<String, Long> first = counts(tenant);
        String key = "pruned-" + UUID.randomUUID();
        Response before = delete(key, null, tenant);
        before.then().statusCode(200).body("summary.receipt.calls", equalTo(1));
        String firstReceipt = before.jsonPath().getString("summary.receipt.first_call_at");
        assertEquals(first, longs(before, "summary.deleted_counts"));
        Response again = delete(key, null, tenant);
        again.then().statusCode(200).body("summary.receipt.calls", equalTo(2))
                .body("summary.receipt.first_call_at", equalTo(firstReceipt));

        TestDb.execute("update deletion_receipts set last_call_at = now() - interval '31 days' where idempotency_key = '" + key + "'");
        assertTrue(pruning.prune().await().atMost(Duration.ofSeconds(10)) >= 1);
        seed(tenant, ROWS / 2);
        Map<String, Long> second = counts(tenant);
        Response reopened = delete(key, null, tenant);
        reopened.then().statusCode(200).body("summary.receipt.calls", equalTo(1));
        String secondReceipt = reopened.jsonPath().getString("summary.receipt.first_call_at");
        assertTrue(java.time.Instant.parse(secondReceipt).isAfter(java.time.Instant.parse(firstReceipt)), secondReceipt + " after " + firstReceipt);
        assertEquals(second, longs(reopened, "summary.deleted_counts"), "a new receipt counts from zero");
        // without a key there is no receipt to name
        delete(TestTokens.service(), tenant).then().statusCode(200).body("summary", not(hasKey("receipt")));
    }

    private static long receiptCount(String key) {
        try (Connection db = TestDb.connect(); Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("select count(*) from deletion_receipts where idempotency_key = '" + key + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a transaction waits for the advisory lock {@code key} (the trigger's gate). */
    private static void awaitWaiterOn(long key) throws Exception {
        String sql = "select count(*) from pg_locks where locktype = 'advisory' and not granted and objsubid = 1"
                + " and classid = " + (key >>> 32) + " and objid = " + (key & 0xffffffffL);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection db = TestDb.connect(); Statement statement = db.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery(sql)) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the deletion never reached the gated table");
    }

    private static long waitersOnTheTenantLock(Connection db, UUID tenant) throws Exception {
        long key = TenantLock.key(tenant);
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(
                "select count(*) from pg_locks where locktype = 'advisory' and not granted and objsubid = 1"
                        + " and classid = " + (key >>> 32) + " and objid = " + (key & 0xffffffffL))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
