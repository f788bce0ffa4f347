package dev.tenantdeletion.orchestrator.job;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.HealthChecks;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every service switched off (deletion.services.&lt;name&gt;.enabled=false): the orchestrator is not ready, and
 * new jobs and previews are 503 no_services_registered — never a "completed, verified" job or a zero preview.
 */
@QuarkusTest
@TestProfile(EmptyRegistryTest.NoServices.class)
@WithTestResource(OrchestratorTestResource.class)
class EmptyRegistryTest {

    public static class NoServices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            FakeServices.TABLES.keySet().forEach(s -> config.put("deletion.services." + s + ".enabled", "false"));
            return config;
        }
    }

    /** Not ready: the unauthenticated readiness names the failing check; the reason is in the details (service tokens). */
    @Test
    void notReadyWithAReason() {
        Response ready = HealthChecks.publicAnswer("/q/health/ready");
        assertEquals(503, ready.statusCode(), ready.asString());
        assertEquals("DOWN", ready.jsonPath().getString("checks.find { it.name == 'service-registry' }.status"), ready.asString());
        assertEquals("UP", ready.jsonPath().getString("checks.find { it.name == 'deletion-job-store' }.status"), "only the registry is wrong");
        Response details = HealthChecks.details("/api/v1");
        assertTrue(details.jsonPath().getString("checks.find { it.name == 'service-registry' }.data.error").contains("no service is registered"),
                details.asString());
        assertEquals("DOWN", details.jsonPath().getString("status"), details.asString());
    }

    @Test
    void newJobsAndPreviewsAre503AfterAuthenticationAuthorisationAndValidation() {
        UUID tenant = UUID.randomUUID();
        Api.submit(TestTokens.service(), tenant).then().statusCode(503)
                .body("error", equalTo("no_services_registered")).body("message", notNullValue());
        Api.submit(TestTokens.user("owner", tenant), tenant).then().statusCode(503).body("error", equalTo("no_services_registered"));
        Api.submit(null, tenant).then().statusCode(401);
        Api.submit(TestTokens.user("member", tenant), tenant).then().statusCode(403);
        Api.submit(TestTokens.service(), "{\"tenant_id\":\"abc\"}").then().statusCode(400).body("error", equalTo("invalid_tenant_id"));

        Api.preview(TestTokens.service(), tenant.toString()).then().statusCode(503)
                .body("error", equalTo("no_services_registered")).body("message", notNullValue());
        Api.preview(TestTokens.user("admin", tenant), tenant.toString()).then().statusCode(503);
        Api.preview(null, tenant.toString()).then().statusCode(401);
        Api.preview(TestTokens.user("admin", UUID.randomUUID()), tenant.toString()).then().statusCode(403);
        Api.preview(TestTokens.service(), "abc").then().statusCode(400).body("error", equalTo("invalid_tenant_id"));

        Api.as(TestTokens.service()).queryParam("tenant_id", tenant.toString()).get(Api.JOBS).then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void aJobWithoutServicesFailsInsteadOfCompleting() throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection db = TestDb.connect()) {
            JobRows.job(db, job, UUID.randomUUID(), "pending", null, 0); // no service rows at all
        }
        Response done = Api.awaitFinal(TestTokens.service(), job.toString(), Duration.ofSeconds(20));
        assertEquals("failed", done.jsonPath().getString("status"), done.asString());
        assertEquals(false, done.jsonPath().getBoolean("verified"));
        assertEquals(0, done.jsonPath().getInt("services_total"));
    }
}
