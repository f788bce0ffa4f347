package dev.tenantdeletion.orchestrator.fanout;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The retry horizon (deletion.retry.horizon, here 3 s; max-attempts 3, backoff 50..200 ms): a service that is not there
 * for now (503, refused connections) is called again for the whole horizon, far beyond max-attempts, each attempt counted
 * in the job and the metrics; a 500 (the service's own fault) gets max-attempts only; and a service that keeps
 * answering complete=false fails after deletion.jobs.max-calls (here 6) instead of never.
 */
@QuarkusTest
@WithTestResource(value = OrchestratorTestResource.class, initArgs = {
        @ResourceArg(name = "unreachable", value = "alert-processor"),
        @ResourceArg(name = "horizon", value = "3s"),
        @ResourceArg(name = "max-calls", value = "6")})
class RetryHorizonTest {

    private static final String POS = "services.find { it.service == 'pos-service' }";
    private static final String ALERTS = "services.find { it.service == 'alert-processor' }";

    private final FakeServices fake = FakeServices.current();
    private final String token = TestTokens.service();

    @Test
    void aServiceAnswering503IsRetriedBeyondMaxAttemptsWithinTheHorizonAndAServiceDownForLongerFails() {
        UUID tenant = seeded();
        double retriesBefore = retries("pos-service");
        fake.behaviour("pos-service", tenant).serverErrors(5); // six attempts: twice max-attempts, well within 3 s

        Response done = run(tenant);

        assertEquals("completed", done.jsonPath().getString(POS + ".status"), done.asString());
        assertEquals(6, done.jsonPath().getInt(POS + ".attempts"), "every attempt is visible in the job");
        assertEquals(5.0, retries("pos-service") - retriesBefore, 0.0, "and in the metrics");

        // alert-processor refuses every connection: attempts for the whole horizon, then a clear error
        assertEquals("failed", done.jsonPath().getString(ALERTS + ".status"));
        int attempts = done.jsonPath().getInt(ALERTS + ".attempts");
        assertTrue(attempts > OrchestratorTestResource.MAX_ATTEMPTS, "retried beyond max-attempts: " + attempts);
        assertEquals("DELETE to alert-processor could not connect (connection refused) (attempt " + attempts
                + ", still unavailable after the retry horizon of PT3S)", done.jsonPath().getString(ALERTS + ".error"));
        assertTrue(done.jsonPath().getLong(ALERTS + ".duration_ms") >= 3000, "the horizon was waited out: " + done.asString());
    }

    @Test
    void aServiceAnswering500GetsMaxAttemptsOnly() {
        UUID tenant = seeded();
        fake.behaviour("pos-service", tenant).serverErrorBody("application/json", "{\"error\":\"deletion_failed\",\"message\":\"boom\"}");
        try {
            Response done = run(tenant);
            assertEquals("failed", done.jsonPath().getString(POS + ".status"), done.asString());
            assertEquals(OrchestratorTestResource.MAX_ATTEMPTS, done.jsonPath().getInt(POS + ".attempts"));
            assertTrue(done.jsonPath().getString(POS + ".error").endsWith("(attempt 3 of 3)"), done.jsonPath().getString(POS + ".error"));
        } finally {
            fake.behaviour("pos-service", tenant).serverErrorBody(null, null);
        }
    }

    @Test
    void aServiceThatKeepsAnsweringIncompleteFailsAfterMaxCalls() {
        UUID tenant = seeded();
        // 3 rows a call of 40: it would need 14 calls; every call deletes something, so the no-progress guard never fires
        fake.behaviour("pos-service", tenant).rowsPerCall(3);

        Response done = run(tenant);

        assertEquals("failed", done.jsonPath().getString(POS + ".status"), done.asString());
        assertEquals(6, done.jsonPath().getInt(POS + ".calls"));
        assertEquals("pos-service still answered complete=false after 6 calls (deletion.jobs.max-calls): the tenant's data may "
                + "still be being written (not retried: invalid_response)", done.jsonPath().getString(POS + ".error"));
        assertEquals(18, done.jsonPath().getLong(POS + ".total_deleted"), "what the calls deleted is recorded");
    }

    private UUID seeded() {
        UUID tenant = UUID.randomUUID();
        fake.seed("pos-service", tenant, 40);
        fake.seed("external-service", tenant, 5);
        return tenant;
    }

    private Response run(UUID tenant) {
        String jobId = Api.submit(token, tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        return awaitFinal(token, jobId, Duration.ofSeconds(40));
    }

    private static double retries(String service) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("deletion_service_call_retries_total\\{[^}]*service=\"" + service + "\"[^}]*} (\\S+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
