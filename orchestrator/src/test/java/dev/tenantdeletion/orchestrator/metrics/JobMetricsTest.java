package dev.tenantdeletion.orchestrator.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.Promtool;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The second-edition job metrics on a running orchestrator: the gauges follow the job store (jobs another
 * replica holds included), and rows deleted are counted once however often a service repeats its totals.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class JobMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)( # .*)?$",
            Pattern.MULTILINE);

    /** What Prometheus (2.x) sends when it scrapes. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final FakeServices fake = FakeServices.current();
    private final String service = TestTokens.service();

    @Test
    void gaugesReadTheJobStoreAndRowsAreCountedOnce() throws SQLException {
        // jobs held by another replica (lease in the future): this one leaves them alone, the gauges count them
        try (Connection db = TestDb.connect()) {
            // the module's test classes share one job store: jobs other classes left unfinished are closed
            // first, so the gauges below count exactly the jobs this test seeds
            try (var statement = db.createStatement()) {
                statement.executeUpdate("update deletion_jobs set status = 'failed', lease_owner = null"
                        + " where status in ('scheduled', 'pending', 'running')");
            }
            for (int i = 0; i < 3; i++) {
                JobRows.job(db, UUID.randomUUID(), UUID.randomUUID(), "pending", "other-replica#1", 600);
            }
            for (int i = 0; i < 2; i++) {
                JobRows.job(db, UUID.randomUUID(), UUID.randomUUID(), "running", "other-replica#2", 600);
            }
            JobRows.job(db, UUID.randomUUID(), UUID.randomUUID(), "failed", null, 0);
            JobRows.job(db, UUID.randomUUID(), UUID.randomUUID(), "completed", null, 0);
        }

        // a job of this replica that deletes in many calls, one answer lost to a timeout and sent again:
        // every answer carries the totals under the key, so a sum of answers would count rows many times over
        UUID tenant = UUID.randomUUID();
        Map<String, Long> seeded = new HashMap<>();
        for (String s : FakeServices.TABLES.keySet()) {
            seeded.put(s, fake.seed(s, tenant, 40).values().stream().mapToLong(Long::longValue).sum());
        }
        Map<String, Double> before = rowsDeleted(scrape());
        fake.behaviour("pos-service", tenant).rowsPerCall(7).loseAnswers(1);
        Response created = Api.submit(service, tenant);
        created.then().statusCode(202);
        Response done = Api.awaitFinal(service, created.jsonPath().getString("job_id"), Duration.ofSeconds(30));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertTrue(fake.calls("pos-service", "DELETE", tenant).size() > 5, "pos-service was called many times");

        String metrics = awaitMetrics(m -> gauge(m, "deletion_jobs_current{status=\"pending\"}") == 3
                && gauge(m, "deletion_jobs_current{status=\"running\"}") == 2);
        for (JobStatus status : JobStatus.values()) {
            String series = "deletion_jobs_current{status=\"" + status.value() + "\"}";
            assertEquals(!status.isSettled(), metrics.contains(series + " "), series + " is exported exactly for the unsettled statuses");
        }
        // the seeded running jobs started a minute ago
        double oldest = gauge(metrics, "deletion_job_oldest_running_seconds");
        assertTrue(oldest >= 59 && oldest < 600, "oldest running job age " + oldest);

        Map<String, Double> after = rowsDeleted(metrics);
        seeded.forEach((s, rows) -> assertEquals(rows.doubleValue(), after.get(s) - before.getOrDefault(s, 0.0),
                "rows deleted through jobs in " + s));
        assertFalse(metrics.contains(tenant.toString()), "a tenant id in a metric");

        // what Prometheus gets (its Accept header names text/plain): a valid exposition, as promtool reads it, in
        // which the gauge deletion_jobs_current and the counter deletion_jobs_total are two metrics
        Response scrape = given().accept(PROMETHEUS_ACCEPT).get("/q/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.contentType().startsWith("text/plain; version=0.0.4"), scrape.contentType());
        assertTrue(scrape.asString().contains("# TYPE deletion_jobs_current gauge"), "the gauge");
        assertTrue(scrape.asString().contains("# TYPE deletion_jobs_total counter"), "the counter");
        Promtool.checkMetrics(scrape.asString());
    }

    @Test
    void oldestRunningIsZeroWithoutRunningJobsAndEveryStatusIsSettledOrNot() {
        // the label set follows the enum: a status is either counted by the gauge or settled (deletion_jobs_total)
        for (String settled : List.of("completed", "partially_failed", "failed", "cancelled")) {
            JobStatus.parse(settled).ifPresent(s -> assertTrue(s.isSettled(), settled + " is settled"));
        }
        for (String unsettled : List.of("scheduled", "pending", "running")) {
            JobStatus.parse(unsettled).ifPresent(s -> assertFalse(s.isSettled(), unsettled + " is not settled"));
        }
        assertEquals(JobGauges.UNSETTLED, java.util.Arrays.stream(JobStatus.values()).filter(s -> !s.isSettled()).toList());
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static String awaitMetrics(Predicate<String> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String metrics = scrape();
        while (!condition.test(metrics)) {
            if (System.nanoTime() > deadline) {
                fail("metrics never matched:\n" + metrics);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            }
            metrics = scrape();
        }
        return metrics;
    }

    /** The value of one series (name and labels exactly as exported), or -1 when absent. */
    private static double gauge(String metrics, String series) {
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            String name = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            if (name.equals(series)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return -1;
    }

    private static Map<String, Double> rowsDeleted(String metrics) {
        Map<String, Double> rows = new HashMap<>();
        Matcher m = SAMPLE.matcher(metrics);
        Pattern service = Pattern.compile("service=\"([^\"]+)\"");
        while (m.find()) {
            if (m.group(1).equals("deletion_rows_deleted_total") && m.group(2) != null) {
                Matcher s = service.matcher(m.group(2));
                if (s.find()) {
                    rows.put(s.group(1), Double.parseDouble(m.group(3)));
                }
            }
        }
        return rows;
    }
}
