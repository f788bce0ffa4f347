package dev.tenantdeletion.orchestrator.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deletion_job_oldest_running_seconds measures the current run, from the claim that started it (review 2026-12-04,
 * finding 12): a job that first ran two days ago and is retried now is a minute-old run, not a two-day-old stuck job
 * that pages at once.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class RetriedJobGaugeTest {

    private static final Pattern OLDEST = Pattern.compile("^deletion_job_oldest_running_seconds (\\S+)$", Pattern.MULTILINE);

    private final FakeServices fake = FakeServices.current();
    private final String service = TestTokens.service();

    @Test
    void aRetriedOldJobIsMeasuredFromItsRetry() throws Exception {
        try (Connection db = TestDb.connect(); var statement = db.createStatement()) {
            // the module's test classes share one job store: other classes' unfinished jobs would be counted too
            statement.executeUpdate("update deletion_jobs set status = 'failed', lease_owner = null"
                    + " where status in ('scheduled', 'pending', 'running')");
        }
        UUID tenant = UUID.randomUUID();
        for (String s : FakeServices.TABLES.keySet()) {
            fake.seed(s, tenant, 10);
        }
        fake.behaviour("pos-service", tenant).clientError(400);
        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        assertEquals("partially_failed", Api.awaitFinal(service, jobId, Duration.ofSeconds(20)).jsonPath().getString("status"));
        try (Connection db = TestDb.connect()) {
            // the job's first run was two days ago
            TestDb.update(db, "update deletion_jobs set created_at = now() - interval '2 days', started_at = now() - interval '2 days',"
                    + " run_started_at = now() - interval '2 days' where id = ?", UUID.fromString(jobId));
        }

        // the retry's calls find the tenant's lock held for a while (503 with Retry-After 2 s, twice): the job runs for seconds
        fake.behaviour("pos-service", tenant).recover().inProgress(2, 3); // two 503s, 3 s apart each: within max-attempts 3
        Api.retry(service, jobId).then().statusCode(202);
        // the gauge is refreshed every sweep (500 ms here): it must come to show the retried job (the only running one now)
        // as a run of seconds, not the job's first run two days ago (172,800 s and more with the old measure)
        AtomicReference<Double> seen = new AtomicReference<>(0.0);
        Api.await("the gauge shows the retried job as seconds old", Duration.ofSeconds(15), () -> {
            seen.set(oldestRunning());
            return seen.get() > 0 && seen.get() < 60;
        });
        assertTrue(seen.get() > 0 && seen.get() < 60, "a run claimed seconds ago, not the job's first run two days ago: " + seen.get());

        Response done = Api.awaitFinal(service, jobId, Duration.ofSeconds(30));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertTrue(done.jsonPath().getString("started_at").compareTo(done.jsonPath().getString("created_at")) >= 0,
                "started_at still tells when the job first ran");
    }

    private static double oldestRunning() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = OLDEST.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
