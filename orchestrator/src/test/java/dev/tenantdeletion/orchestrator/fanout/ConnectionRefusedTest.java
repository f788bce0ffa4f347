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
import org.junit.jupiter.api.Test;

/** A registered service nobody listens for: retried as configured, spaced by the backoff, then failed. */
@QuarkusTest
@WithTestResource(value = OrchestratorTestResource.class, initArgs = @ResourceArg(name = "unreachable", value = "alert-processor"))
class ConnectionRefusedTest {

    @Test
    void refusedConnectionsFailAfterTheConfiguredRetries() {
        UUID tenant = UUID.randomUUID();
        FakeServices fake = FakeServices.current();
        fake.seed("pos-service", tenant, 7);
        fake.seed("external-service", tenant, 7);

        String jobId = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(TestTokens.service(), jobId, Duration.ofSeconds(20));

        assertEquals("partially_failed", done.jsonPath().getString("status"), done.asString());
        String alerts = "services.find { it.service == 'alert-processor' }";
        assertEquals("failed", done.jsonPath().getString(alerts + ".status"), "refused is a failure, not a timeout");
        assertEquals(OrchestratorTestResource.MAX_ATTEMPTS, done.jsonPath().getInt(alerts + ".attempts"));
        assertEquals("DELETE to alert-processor could not connect (connection refused) (attempt 3 of 3)",
                done.jsonPath().getString(alerts + ".error"), "a fixed phrase, no host or exception text: " + done.asString());
        assertEquals(2, done.jsonPath().getInt("services_completed"));

        // how long the attempts take is not asserted here (a timed unit test fails under a loaded CPU, not on a fault):
        // the policy's bound is RetryPolicyTest's arithmetic; here, the attempts happened, spaced by the backoff
        long backoffs = OrchestratorTestResource.INITIAL_BACKOFF_MS * 3; // 50 ms then 100 ms between the three attempts
        assertTrue(done.jsonPath().getLong(alerts + ".duration_ms") >= backoffs, "the attempts were spaced by the backoff");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("deletion_service_call_retries_total{service=\"alert-processor\"} 2.0"), "two retries counted");
        assertTrue(metrics.contains("deletion_service_call_duration_seconds_count{outcome=\"connection_error\",service=\"alert-processor\"} 3"),
                "three refused attempts timed");
    }
}
