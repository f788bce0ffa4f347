package dev.tenantdeletion.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTriggers;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A rolling deploy during a job (issue 27, contract third edition "Bounded resources"): pos-service killed mid-job and
 * started again 20 s later — the job completes by itself with exact totals, its retries inside
 * deletion.retry.horizon; a service down for longer than the horizon fails its run with a clear error. The four
 * packaged apps, each on a throwaway database of the local server; logs in target/rolling-deploy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingDeployIT {

    private static final int ROWS = 300;

    private static Platform platform;
    private static App pos;
    private static App orchestrator;

    @BeforeAll
    static void start() throws Exception {
        platform = new Platform("rolling-deploy", "rolling", Path.of("target", "rolling-deploy").toAbsolutePath());
        for (String label : Platform.APPS) {
            platform.createDatabase(label);
        }
        Map<String, String> orch = platform.environment("orchestrator");
        orch.put("DELETION_RETRY_HORIZON", "PT2M");
        orch.put("DELETION_RETRY_INITIAL_BACKOFF", "500ms");
        orch.put("DELETION_RETRY_MAX_BACKOFF", "2s");
        orch.put("DELETION_JOBS_LEASE", "3s");
        orch.put("DELETION_JOBS_SWEEP_INTERVAL", "500ms");
        for (String service : Platform.SERVICES) {
            orch.put("DELETION_SERVICES_" + Platform.envName(service) + "_TIMEOUT", "10s");
        }
        for (String label : Platform.SERVICES) {
            platform.app(label, platform.environment(label)).start();
        }
        orchestrator = platform.app("orchestrator", orch);
        orchestrator.start();
        for (String label : Platform.APPS) {
            platform.awaitReady(platform.app(label), Duration.ofSeconds(150));
        }
        pos = platform.app("pos");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.stop();
        }
    }

    @Test
    @Order(1)
    void aServiceKilledMidJobAndBackAfterTwentySecondsLeavesTheJobCompletedExactly() throws Exception {
        UUID tenant = UUID.randomUUID();
        platform.seed("pos", List.of(tenant), ROWS);
        platform.seed("external", List.of(tenant), ROWS);
        platform.seed("alerts", List.of(tenant), ROWS);
        long seeded = TestDb.total(platform.counts(tenant));

        platform.executeOn("pos", TestTriggers.sleepBeforeDelete("pos_transactions", 3));
        String jobId;
        try {
            jobId = Jobs.post(orchestrator, tenant);
            awaitDeleteSleeping("pos");
            pos.kill9();
        } finally {
            // waits for the killed service's orphaned transaction to roll back
            platform.executeOn("pos", TestTriggers.dropAll("pos_transactions"));
        }
        long killed = System.nanoTime();
        Thread.sleep(20_000);
        assertEquals("running", Jobs.job(orchestrator, jobId).jsonPath().getString("status"), "the job waits for pos-service");
        pos.start();
        platform.awaitReady(pos, Duration.ofSeconds(120));
        platform.log("pos-service back %d ms after the kill", Platform.millisSince(killed));

        Response job = Jobs.awaitFinal(orchestrator, jobId, Duration.ofSeconds(120));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
        assertEquals(seeded, job.jsonPath().getLong("total_items_deleted"), "exactly the rows seeded: " + job.asString());
        assertEquals(ROWS, Jobs.number(Jobs.service(job, "pos-service"), "total_deleted"), job.asString());
        long attempts = Jobs.number(Jobs.service(job, "pos-service"), "attempts");
        assertTrue(attempts > 3, "the restart was bridged by retries, each counted: " + job.asString());
        assertEquals(0L, TestDb.total(platform.counts(tenant)), "the tenant is gone");
        platform.log("job completed after the rolling restart: pos-service attempts %d", attempts);
    }

    @Test
    @Order(2)
    void aServiceDownForLongerThanTheHorizonFailsItsRunWithAClearError() throws Exception {
        orchestrator.stop();
        orchestrator.environment("DELETION_RETRY_HORIZON", "PT5S");
        orchestrator.start();
        platform.awaitReady(orchestrator, Duration.ofSeconds(120));
        pos.stop();

        UUID tenant = UUID.randomUUID();
        platform.seed("pos", List.of(tenant), ROWS);
        platform.seed("external", List.of(tenant), ROWS);
        String jobId = Jobs.post(orchestrator, tenant);
        Response job = Jobs.awaitFinal(orchestrator, jobId, Duration.ofSeconds(90));

        assertEquals("partially_failed", job.jsonPath().getString("status"), job.asString());
        Map<String, Object> failed = Jobs.service(job, "pos-service");
        assertEquals("failed", failed.get("status"), job.asString());
        String error = (String) failed.get("error");
        assertTrue(error.startsWith("DELETE to pos-service could not connect (connection refused) (attempt ")
                && error.endsWith(", still unavailable after the retry horizon of PT5S)"), error);
        assertTrue(Jobs.number(failed, "duration_ms") >= 5000, "retried for the whole horizon: " + job.asString());
        assertEquals(Map.of("pos-service", "failed", "external-service", "completed", "alert-processor", "completed"),
                Jobs.statuses(job));
        assertEquals((long) ROWS, TestDb.total(platform.counts(tenant, "pos")), "nothing deleted in the service that was down");

        pos.start();
        platform.awaitReady(pos, Duration.ofSeconds(120));
        Jobs.asService().post(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId + "/retry").then().statusCode(202);
        Response retried = Jobs.awaitFinal(orchestrator, jobId, Duration.ofSeconds(60));
        assertEquals("completed", retried.jsonPath().getString("status"), retried.asString());
        assertEquals(2L * ROWS, retried.jsonPath().getLong("total_items_deleted"), retried.asString());
    }

    /** Waits until a DELETE of the service's database is inside the sleeping trigger. */
    private static void awaitDeleteSleeping(String label) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection db = platform.connect(label); Statement statement = db.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where datname = current_database()"
                        + " and wait_event = 'PgSleep' and query ilike '%delete%'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        fail("no DELETE reached the sleeping trigger in " + platform.database(label));
    }
}
