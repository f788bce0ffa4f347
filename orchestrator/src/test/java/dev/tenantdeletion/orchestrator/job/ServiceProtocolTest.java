package dev.tenantdeletion.orchestrator.job;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static dev.tenantdeletion.orchestrator.support.Api.longs;
import static dev.tenantdeletion.orchestrator.support.Api.serviceStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The second edition's DELETE protocol against fakes that speak it: Idempotency-Key receipts, budgeted calls
 * answering complete=false, lost answers, 409/500 with summaries; items_expected, verification of the
 * tables, and deletion.jobs.max-concurrent (2 here) for every way a job starts.
 */
@QuarkusTest
@TestProfile(ServiceProtocolTest.TwoAtATime.class)
@WithTestResource(OrchestratorTestResource.class)
class ServiceProtocolTest {

    static final int MAX_CONCURRENT = 2;

    public static class TwoAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.jobs.max-concurrent", String.valueOf(MAX_CONCURRENT));
        }
    }

    private static final List<String> SERVICES = List.of("alert-processor", "external-service", "pos-service");
    private static final Duration FINISH = Duration.ofSeconds(30);

    private final FakeServices fake = FakeServices.current();
    private final String service = TestTokens.service();

    @AfterEach
    void everyTokenWasAValidOrchestratorToken() {
        assertEquals(List.of(), fake.rejections(), "the fake services refused a token");
    }

    private Map<String, Map<String, Long>> seedAll(UUID tenant, long rows) {
        Map<String, Map<String, Long>> seeded = new HashMap<>();
        SERVICES.forEach(s -> seeded.put(s, fake.seed(s, tenant, rows)));
        return seeded;
    }

    private static long total(Map<String, Map<String, Long>> seeded) {
        return seeded.values().stream().mapToLong(TestDb::total).sum();
    }

    private static String path(String service) {
        return "services.find { it.service == '" + service + "' }";
    }

    @Test
    void aServiceThatNeedsManyCallsEndsExactAndShowsItsProgressWhileItRuns() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant, 10);
        // 241 + 2 + 3 + 4 = 250 rows, 10 per call: 25 calls, each answering the totals so far and complete=false but the last
        seeded.put("pos-service", fake.seed("pos-service", tenant, 241));
        fake.behaviour("pos-service", tenant).rowsPerCall(10).sleep(30);

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        List<Long> seenWhileRunning = new ArrayList<>();
        Response done = Api.awaitJob(service, jobId, FINISH, r -> {
            boolean running = "running".equals(serviceStatus(r, "pos-service"));
            if (running) {
                seenWhileRunning.add(r.jsonPath().getLong(path("pos-service") + ".total_deleted"));
            }
            return "completed".equals(r.jsonPath().getString("status")) || "failed".equals(r.jsonPath().getString("status"))
                    || "partially_failed".equals(r.jsonPath().getString("status"));
        });
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertTrue(done.jsonPath().getBoolean("verified"));
        String pos = path("pos-service");
        assertEquals(seeded.get("pos-service"), longs(done, pos + ".deleted_counts"), "exact, not summed over the 25 answers");
        assertEquals(250, done.jsonPath().getLong(pos + ".total_deleted"));
        assertEquals(total(seeded), done.jsonPath().getLong("total_items_deleted"));
        assertTrue(done.jsonPath().getInt(pos + ".calls") >= 25, done.asString());
        assertEquals(fake.calls("pos-service", "DELETE", tenant).size(), done.jsonPath().getInt(pos + ".calls"));
        assertEquals(1, done.jsonPath().getInt(pos + ".attempts"), "continuation calls are not retries");
        for (FakeServices.Call call : fake.calls("pos-service", "DELETE", tenant)) {
            assertEquals(jobId + ":pos-service", call.idempotencyKey());
            assertEquals("500", call.maxDurationMs());
        }
        // progress: figures between nothing and everything were visible, and never went down
        assertTrue(seenWhileRunning.stream().anyMatch(n -> n > 0 && n < 250), "no progress seen while running: " + seenWhileRunning);
        for (int i = 1; i < seenWhileRunning.size(); i++) {
            assertTrue(seenWhileRunning.get(i) >= seenWhileRunning.get(i - 1), "progress went down: " + seenWhileRunning);
        }
        // items expected: every service's preview before its first DELETE, and their sum on the job
        for (String s : SERVICES) {
            assertEquals(TestDb.total(seeded.get(s)), done.jsonPath().getLong(path(s) + ".items_expected"), s);
        }
        assertEquals(total(seeded), done.jsonPath().getLong("items_expected"));
    }

    @Test
    void lostAnswersAreNotUnderCounted() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant, 100);
        // 100 + 2 + 3 rows at 40 per call: the first two calls delete 80 rows, record them in the receipt, and their
        // answers arrive after the 1 s timeout; the third call deletes the last 25 and answers the totals
        fake.behaviour("external-service", tenant).rowsPerCall(40).loseAnswers(2);

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        String external = path("external-service");
        assertEquals(seeded.get("external-service"), longs(done, external + ".deleted_counts"), "the lost answers' rows are counted");
        assertEquals(105, done.jsonPath().getLong(external + ".total_deleted"));
        assertEquals(total(seeded), done.jsonPath().getLong("total_items_deleted"));
        assertEquals(OrchestratorTestResource.MAX_ATTEMPTS, done.jsonPath().getInt(external + ".attempts"), "two timeouts, then success");
        assertEquals(3, done.jsonPath().getInt(external + ".calls"));
        assertEquals(fake.receipt(jobId + ":external-service"), longs(done, external + ".deleted_counts"));
    }

    @Test
    void aConflictRecordsItsCountsAndIsNotRetriedAndAFailureWithASummaryIsRetriedExactly() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant, 20);
        fake.behaviour("alert-processor", tenant).conflictAfter(7); // 7 alert_notifications committed, then 409
        fake.behaviour("pos-service", tenant).failWithSummary(1, 12); // 12 rows committed, then 500; the retry finishes

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("partially_failed", done.jsonPath().getString("status"), done.asString());
        String alerts = path("alert-processor");
        assertEquals("failed", done.jsonPath().getString(alerts + ".status"));
        assertEquals(1, done.jsonPath().getInt(alerts + ".attempts"));
        assertEquals(1, fake.calls("alert-processor", "DELETE", tenant).size(), "409 is never retried");
        assertTrue(done.jsonPath().getString(alerts + ".error").contains("409"), done.asString());
        assertTrue(done.jsonPath().getString(alerts + ".error").contains("foreign_key_conflict"), done.asString());
        assertEquals(7, done.jsonPath().getLong(alerts + ".deleted_counts.alert_notifications"), "the committed batches are recorded");
        assertEquals(7, done.jsonPath().getLong(alerts + ".total_deleted"));

        String pos = path("pos-service");
        assertEquals("completed", done.jsonPath().getString(pos + ".status"), done.asString());
        assertEquals(2, done.jsonPath().getInt(pos + ".attempts"));
        assertEquals(seeded.get("pos-service"), longs(done, pos + ".deleted_counts"), "500's 12 rows plus the retry's rest, not 12 twice");
        long expected = TestDb.total(seeded.get("pos-service")) + TestDb.total(seeded.get("external-service")) + 7;
        assertEquals(expected, done.jsonPath().getLong("total_items_deleted"));
    }

    @Test
    void deletionInProgressIsRetriedNoSoonerThanRetryAfter() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant, 10);
        fake.behaviour("pos-service", tenant).inProgress(1, 1); // Retry-After: 1 s, far above the 50 ms backoff

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertEquals(2, done.jsonPath().getInt(path("pos-service") + ".attempts"));
        assertEquals(seeded.get("pos-service"), longs(done, path("pos-service") + ".deleted_counts"));
        List<FakeServices.Call> calls = fake.calls("pos-service", "DELETE", tenant);
        assertEquals(2, calls.size());
        long waited = Duration.between(calls.get(0).at(), calls.get(1).at()).toMillis();
        assertTrue(waited >= 1000, "retried " + waited + " ms after a Retry-After of 1 s");
    }

    @Test
    void aFailedExpectedPreviewLeavesItsFigureUnknownAndTheDeletionGoesAhead() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant, 30);
        fake.behaviour("alert-processor", tenant).previewFailures(1); // the items-expected preview fails, verification works

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertNull(done.jsonPath().get(path("alert-processor") + ".items_expected"), done.asString());
        assertEquals(TestDb.total(seeded.get("pos-service")) + TestDb.total(seeded.get("external-service")),
                done.jsonPath().getLong("items_expected"), "the sum of what is known");
        assertEquals(total(seeded), done.jsonPath().getLong("total_items_deleted"));
    }

    @Test
    void aPreviewMissingATableTheDeleteReportedFailsVerification() {
        UUID tenant = UUID.randomUUID();
        seedAll(tenant, 10);
        fake.behaviour("pos-service", tenant).previewOmits("pos_devices");

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("partially_failed", done.jsonPath().getString("status"), done.asString());
        assertFalse(done.jsonPath().getBoolean("verified"));
        String pos = path("pos-service");
        assertEquals("failed", done.jsonPath().getString(pos + ".status"));
        assertFalse(done.jsonPath().getBoolean(pos + ".verified"));
        String error = done.jsonPath().getString(pos + ".error");
        assertTrue(error.contains("verification failed") && error.contains("pos_devices"), error);
    }

    @Test
    void maxConcurrentHoldsForABurstOfJobsAndAllOfThemFinish() throws Exception {
        List<UUID> tenants = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID tenant = UUID.randomUUID();
            seedAll(tenant, 5);
            SERVICES.forEach(s -> fake.behaviour(s, tenant).sleep(200));
            tenants.add(tenant);
        }
        fake.watchConcurrency(tenants);
        List<String> jobIds = new ArrayList<>();
        for (UUID tenant : tenants) {
            jobIds.add(Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id"));
        }
        int mostRunning = 0;
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Integer> byStatus = statuses(jobIds);
            int running = byStatus.getOrDefault("running", 0);
            mostRunning = Math.max(mostRunning, running);
            assertTrue(running <= MAX_CONCURRENT, "running at once: " + byStatus);
            if (byStatus.getOrDefault("completed", 0) == jobIds.size()) {
                break;
            }
            // a job waiting for a slot is pending in the store, and nothing has been asked of it yet
            for (String jobId : jobIds) {
                Response job = Api.job(service, jobId);
                if ("pending".equals(job.jsonPath().getString("status"))) {
                    assertNull(job.jsonPath().get("items_expected"), job.asString());
                }
            }
            Thread.sleep(20);
        }
        assertEquals(Map.of("completed", jobIds.size()), statuses(jobIds));
        assertTrue(mostRunning >= 1);
        assertTrue(fake.maxConcurrentTenants() <= MAX_CONCURRENT, "tenants with a DELETE in flight at once: " + fake.maxConcurrentTenants());
        assertTrue(fake.maxConcurrentTenants() >= 1);
    }

    @Test
    void concurrentPostsForOneTenantCreateExactlyOneJob() throws Exception {
        UUID tenant = UUID.randomUUID();
        seedAll(tenant, 100);
        // the job stays active for several seconds: 5 calls of 0.5 s each
        fake.behaviour("pos-service", tenant).rowsPerCall(25).sleep(500);
        int posts = 8;
        ExecutorService threads = Executors.newFixedThreadPool(posts);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < posts; i++) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return Api.submit(service, tenant);
                }));
            }
            go.countDown();
            Set<String> jobIds = new HashSet<>();
            Map<Integer, Integer> statuses = new LinkedHashMap<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                statuses.merge(response.statusCode(), 1, Integer::sum);
                jobIds.add(response.jsonPath().getString("job_id"));
            }
            assertEquals(Map.of(202, 1, 200, posts - 1), statuses, "one created, the others answered the same active job");
            assertEquals(1, jobIds.size(), "every answer carries the same job: " + jobIds);
            assertEquals("completed", awaitFinal(service, jobIds.iterator().next(), FINISH).jsonPath().getString("status"));
            assertEquals(1, count("select count(*) from deletion_jobs where tenant_id = ?", tenant));
        } finally {
            threads.shutdownNow();
        }
    }

    private static Map<String, Integer> statuses(List<String> jobIds) throws Exception {
        Map<String, Integer> byStatus = new HashMap<>();
        try (Connection db = TestDb.connect();
                PreparedStatement query = db.prepareStatement(
                        "select status, count(*) from deletion_jobs where id = any(cast(? as uuid[])) group by status")) {
            query.setArray(1, db.createArrayOf("varchar", jobIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byStatus.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return byStatus;
    }

    private static long count(String sql, UUID tenant) throws Exception {
        try (Connection db = TestDb.connect(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
