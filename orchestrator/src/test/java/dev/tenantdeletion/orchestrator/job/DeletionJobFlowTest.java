package dev.tenantdeletion.orchestrator.job;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static dev.tenantdeletion.orchestrator.support.Api.awaitJob;
import static dev.tenantdeletion.orchestrator.support.Api.longs;
import static dev.tenantdeletion.orchestrator.support.Api.serviceStatus;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs end to end against fake services: parallel fan-out, timeouts, retries, verification, metrics. */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class DeletionJobFlowTest {

    private static final List<String> SERVICES = List.of("alert-processor", "external-service", "pos-service");
    private static final Duration FINISH = Duration.ofSeconds(20);

    private final FakeServices fake = FakeServices.current();
    private final String service = TestTokens.service();

    @AfterEach
    void everyTokenWasAValidOrchestratorToken() {
        assertEquals(List.of(), fake.rejections(), "the fake services refused a token");
    }

    private Map<String, Map<String, Long>> seedAll(UUID tenant) {
        Map<String, Map<String, Long>> seeded = new HashMap<>();
        SERVICES.forEach(s -> seeded.put(s, fake.seed(s, tenant, 100)));
        return seeded;
    }

    private static long total(Map<String, Map<String, Long>> seeded) {
        return seeded.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    @Test
    void threeServicesAnswerThenTheJobIsCompletedVerifiedAndSummed() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant);

        Response created = Api.submit(service, tenant);
        created.then().statusCode(202);
        String jobId = created.jsonPath().getString("job_id");
        assertEquals("/api/v1/deletion-jobs/" + jobId, created.header("Location").replaceFirst("^https?://[^/]+", ""));
        assertEquals(tenant.toString(), created.jsonPath().getString("tenant_id"));
        assertEquals("auth-service", created.jsonPath().getString("requested_by"));
        assertEquals("Test Bakery", created.jsonPath().getString("tenant_name"));
        assertEquals("customer left", created.jsonPath().getString("reason"));
        assertEquals(3, created.jsonPath().getInt("services_total"));

        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertTrue(done.jsonPath().getBoolean("verified"));
        assertEquals(3, done.jsonPath().getInt("services_completed"));
        assertEquals(0, done.jsonPath().getInt("services_failed"));
        assertEquals(total(seeded), done.jsonPath().getLong("total_items_deleted"));
        assertEquals(total(seeded), done.jsonPath().getLong("items_expected"));
        Map<String, Object> fields = done.jsonPath().getMap("");
        for (String field : List.of("execute_after", "cancelled_at", "cancelled_by", "expedited_by")) {
            assertTrue(fields.containsKey(field) && fields.get(field) == null, field + " is present and null: " + done.asString());
        }
        assertNotNull(done.jsonPath().getString("started_at"));
        assertNotNull(done.jsonPath().getString("completed_at"));
        assertEquals(SERVICES, done.jsonPath().getList("services.service"));
        for (String s : SERVICES) {
            String path = "services.find { it.service == '" + s + "' }";
            assertEquals("completed", done.jsonPath().getString(path + ".status"));
            assertEquals(1, done.jsonPath().getInt(path + ".attempts"));
            assertEquals(seeded.get(s), longs(done, path + ".deleted_counts"), s);
            assertEquals(seeded.get(s).values().stream().mapToLong(Long::longValue).sum(), done.jsonPath().getLong(path + ".total_deleted"));
            assertNull(done.jsonPath().get(path + ".error"));
            assertEquals(1, fake.calls(s, "DELETE", tenant).size(), s + " DELETE calls");
            assertEquals(1, done.jsonPath().getInt(path + ".calls"));
            assertEquals(TestDb.total(seeded.get(s)), done.jsonPath().getLong(path + ".items_expected"), s + " items expected");
            assertEquals(2, fake.calls(s, "GET", tenant).size(), s + ": the items-expected preview and the verification preview");
            FakeServices.Call delete = fake.calls(s, "DELETE", tenant).get(0);
            assertEquals(jobId + ":" + s, delete.idempotencyKey());
            assertEquals("500", delete.maxDurationMs(), "half of the 1 s timeout");
        }
        var claims = fake.lastClaims();
        assertEquals("service", claims.getString("type"));
        assertEquals("orchestrator", claims.getString("sub"));
        assertEquals(TestTokens.ISSUER, claims.getString("iss"));
        assertTrue(claims.getLong("exp") - claims.getLong("iat") <= 300, "a few minutes' lifetime");
        // each service got a token of its own: its registry name as the one aud, no scope
        for (String s : SERVICES) {
            assertEquals(s, fake.lastClaims(s).getValue("aud"), s + " token's aud");
            assertFalse(fake.lastClaims(s).containsKey("scope"), s + " token carries no scope");
        }

        // the job is over: the tenant may get a new one (which finds nothing left)
        Response again = Api.submit(service, tenant);
        again.then().statusCode(202);
        assertFalse(jobId.equals(again.jsonPath().getString("job_id")));
        Response second = awaitFinal(service, again.jsonPath().getString("job_id"), FINISH);
        assertEquals("completed", second.jsonPath().getString("status"));
        assertEquals(0, second.jsonPath().getLong("total_items_deleted"));
    }

    @Test
    void aSecondPostWhileTheJobIsActiveAnswersTheActiveJob() {
        UUID tenant = UUID.randomUUID();
        seedAll(tenant);
        fake.behaviour("pos-service", tenant).sleep(600);
        Response first = Api.submit(service, tenant);
        first.then().statusCode(202);
        Response second = Api.submit(TestTokens.user("owner", tenant), tenant);
        second.then().statusCode(200);
        assertEquals(first.jsonPath().getString("job_id"), second.jsonPath().getString("job_id"));
        assertEquals("auth-service", second.jsonPath().getString("requested_by"), "the active job, not a new one");
        assertEquals("completed", awaitFinal(service, first.jsonPath().getString("job_id"), FINISH).jsonPath().getString("status"));
        assertEquals(1, fake.calls("pos-service", "DELETE", tenant).size());
    }

    @Test
    void aSlowServiceTimesOutWithoutHoldingBackTheOthersAndARetryFinishesIt() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant);
        fake.behaviour("pos-service", tenant).sleep(30_000);
        double timeoutsBefore = metric("deletion_service_call_timeouts_total{service=\"pos-service\"}");

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response progress = awaitJob(service, jobId, FINISH, r -> "completed".equals(serviceStatus(r, "external-service"))
                && "completed".equals(serviceStatus(r, "alert-processor")) && "running".equals(serviceStatus(r, "pos-service")));
        // the others are recorded while pos-service still sleeps on its first attempt (no wall-clock bound:
        // the proof is that its first DELETE is still waiting for an answer)
        assertEquals("running", progress.jsonPath().getString("status"), progress.asString());
        assertEquals("running", serviceStatus(progress, "pos-service"));
        assertEquals(1, progress.jsonPath().getInt("services.find { it.service == 'pos-service' }.attempts"), progress.asString());
        assertTrue(fake.inFlight("pos-service", tenant) > 0, "pos-service is still sleeping");
        assertEquals(2, progress.jsonPath().getInt("services_completed"));

        Response failed = awaitFinal(service, jobId, FINISH);
        assertEquals("partially_failed", failed.jsonPath().getString("status"), failed.asString());
        assertFalse(failed.jsonPath().getBoolean("verified"));
        assertEquals("timed_out", serviceStatus(failed, "pos-service"));
        String pos = "services.find { it.service == 'pos-service' }";
        assertEquals(OrchestratorTestResource.MAX_ATTEMPTS, failed.jsonPath().getInt(pos + ".attempts"));
        assertTrue(failed.jsonPath().getString(pos + ".error").contains("timed out"), failed.asString());
        assertEquals(1, failed.jsonPath().getInt("services_failed"));
        assertEquals(OrchestratorTestResource.MAX_ATTEMPTS, metric("deletion_service_call_timeouts_total{service=\"pos-service\"}") - timeoutsBefore, 0.01);

        // the service recovers; a retry re-runs only what did not complete
        fake.behaviour("pos-service", tenant).recover();
        Response retried = Api.retry(service, jobId);
        retried.then().statusCode(202);
        assertEquals(jobId, retried.jsonPath().getString("job_id"));
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertTrue(done.jsonPath().getBoolean("verified"));
        assertEquals(OrchestratorTestResource.MAX_ATTEMPTS + 1, done.jsonPath().getInt(pos + ".attempts"));
        assertEquals(OrchestratorTestResource.MAX_ATTEMPTS + 1, done.jsonPath().getInt(pos + ".calls"));
        assertEquals(TestDb.total(seeded.get("pos-service")), done.jsonPath().getLong(pos + ".items_expected"),
                "taken before the first DELETE, not again on the retry");
        assertEquals(seeded.get("pos-service"), longs(done, pos + ".deleted_counts"));
        assertEquals(total(seeded), done.jsonPath().getLong("total_items_deleted"));
        assertEquals(1, fake.calls("external-service", "DELETE", tenant).size(), "completed services are not called again");
        assertEquals(1, fake.calls("alert-processor", "DELETE", tenant).size());

        Api.retry(service, jobId).then().statusCode(409).body("error", org.hamcrest.Matchers.equalTo("job_not_retryable"));
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant);
        fake.behaviour("external-service", tenant).serverErrors(2);
        double retriesBefore = metric("deletion_service_call_retries_total{service=\"external-service\"}");

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        String external = "services.find { it.service == 'external-service' }";
        assertEquals(3, done.jsonPath().getInt(external + ".attempts"));
        assertEquals(seeded.get("external-service"), longs(done, external + ".deleted_counts"));
        List<FakeServices.Call> calls = fake.calls("external-service", "DELETE", tenant);
        assertEquals(3, calls.size());
        long firstWait = Duration.between(calls.get(0).at(), calls.get(1).at()).toMillis();
        long secondWait = Duration.between(calls.get(1).at(), calls.get(2).at()).toMillis();
        assertTrue(firstWait >= OrchestratorTestResource.INITIAL_BACKOFF_MS, "first backoff " + firstWait);
        assertTrue(secondWait >= 2 * OrchestratorTestResource.INITIAL_BACKOFF_MS, "second backoff doubles: " + secondWait);
        assertEquals(2, metric("deletion_service_call_retries_total{service=\"external-service\"}") - retriesBefore, 0.01);
    }

    @Test
    void aClientErrorFailsTheServiceAtOnce() {
        UUID tenant = UUID.randomUUID();
        seedAll(tenant);
        fake.behaviour("alert-processor", tenant).clientError(409);

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertEquals("partially_failed", done.jsonPath().getString("status"), done.asString());
        String alerts = "services.find { it.service == 'alert-processor' }";
        assertEquals("failed", done.jsonPath().getString(alerts + ".status"));
        assertEquals(1, done.jsonPath().getInt(alerts + ".attempts"));
        assertTrue(done.jsonPath().getString(alerts + ".error").contains("409"), done.asString());
        assertEquals(1, fake.calls("alert-processor", "DELETE", tenant).size(), "4xx is never retried");
        assertEquals(2, done.jsonPath().getInt("services_completed"));
    }

    @Test
    void rowsLeftAfterASuccessfulDeleteAreNotVerified() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant);
        fake.behaviour("pos-service", tenant).leaveRows();

        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(service, jobId, FINISH);
        assertFalse("completed".equals(done.jsonPath().getString("status")), done.asString());
        assertEquals("partially_failed", done.jsonPath().getString("status"));
        assertFalse(done.jsonPath().getBoolean("verified"));
        String pos = "services.find { it.service == 'pos-service' }";
        assertEquals("failed", done.jsonPath().getString(pos + ".status"));
        assertFalse(done.jsonPath().getBoolean(pos + ".verified"));
        assertTrue(done.jsonPath().getString(pos + ".error").contains("verification failed"), done.asString());
        assertEquals(seeded.get("pos-service"), longs(done, pos + ".deleted_counts"), "what the service reported is still recorded");
        assertEquals(2, fake.calls("pos-service", "GET", tenant).size(), "items expected, then verification");
    }

    @Test
    void aggregatedPreviewListsUnavailableServicesInsteadOfCountingThemAsZero() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = seedAll(tenant);
        fake.behaviour("alert-processor", tenant).previewFails();

        Response preview = Api.preview(TestTokens.user("admin", tenant), tenant.toString());
        preview.then().statusCode(200);
        assertEquals(tenant.toString(), preview.jsonPath().getString("tenant_id"));
        assertEquals(List.of("alert-processor"), preview.jsonPath().getList("unavailable"));
        assertEquals(seeded.get("pos-service"), longs(preview, "services.pos-service.data_counts"));
        assertEquals(seeded.get("external-service"), longs(preview, "services.external-service.data_counts"));
        assertNull(preview.jsonPath().get("services.alert-processor"));
        long expected = total(Map.of("p", seeded.get("pos-service"), "e", seeded.get("external-service")));
        assertEquals(expected, preview.jsonPath().getLong("total_items"));
        assertEquals(seeded.get("pos-service").values().stream().mapToLong(Long::longValue).sum(),
                preview.jsonPath().getLong("services.pos-service.total_items"));
    }

    @Test
    void metricsHaveTheContractNamesAndNoTenantId() {
        UUID tenant = UUID.randomUUID();
        seedAll(tenant);
        String jobId = Api.submit(service, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        awaitFinal(service, jobId, FINISH);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("deletion_jobs_total{status=\"completed\"}"), "jobs counter");
        assertTrue(metrics.contains("deletion_job_duration_seconds_bucket{"), "job duration histogram");
        for (String s : SERVICES) {
            assertTrue(metrics.contains("deletion_service_call_duration_seconds_bucket{outcome=\"success\",service=\"" + s + "\""), s);
            assertTrue(metrics.contains("deletion_service_call_retries_total{service=\"" + s + "\"}"), s);
            assertTrue(metrics.contains("deletion_service_call_timeouts_total{service=\"" + s + "\"}"), s);
        }
        assertFalse(metrics.contains(tenant.toString()), "a tenant id in a metric");
        assertFalse(metrics.contains(jobId), "a job id in a metric");
    }

    private static double metric(String series) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        // an OpenMetrics sample may end with an exemplar (" # {trace_id=…} …") now that spans exist
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)( # .*)?$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
