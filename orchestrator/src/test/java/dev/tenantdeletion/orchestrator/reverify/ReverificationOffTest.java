package dev.tenantdeletion.orchestrator.reverify;

import static dev.tenantdeletion.orchestrator.reverify.Reverifications.admin;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.erased;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.metric;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.progress;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.sweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * deletion.reverify.interval=PT0S switches the periodic sweep off: no service is ever swept by itself, though a poll
 * comes every 100 ms and every service is due (never swept); POST /api/v1/reverifications still runs one, with the
 * grace period PT0S making its follow-up job pending at once.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
@TestProfile(ReverificationOffTest.Profile.class)
class ReverificationOffTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.reverify.interval", "PT0S", "deletion.reverify.grace-period", "PT0S", "deletion.reverify.poll", "100ms");
        }
    }

    private final FakeServices fake = FakeServices.current();

    @Test
    void theIntervalPT0SSwitchesThePeriodicSweepOff() throws InterruptedException {
        UUID tenant = UUID.randomUUID();
        erased(tenant);
        fake.seed("pos-service", tenant, 1);
        Thread.sleep(1500);
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(0, fake.deletionCheckRequests(service), service);
            assertNull(progress(service, "service"), service + " never swept");
        }
        assertEquals(0, metric("deletion_reverification_interval_seconds", ""), 0.001);
        assertEquals(0, metric("deletion_reverification_last_success_timestamp_seconds", ""), 0.001, "never succeeded");

        Response swept = sweep(admin());
        swept.then().statusCode(200);
        assertEquals(List.of("alert-processor", "external-service", "pos-service"), swept.jsonPath().getList("services"));
        String followUp = swept.jsonPath().getString("follow_up_jobs[0]");
        assertNotNull(followUp, swept.asString());
        // grace period PT0S: pending at once, so it runs and completes
        Response done = dev.tenantdeletion.orchestrator.support.Api.awaitFinal(dev.tenantdeletion.testing.TestTokens.service(), followUp,
                java.time.Duration.ofSeconds(20));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertNull(done.jsonPath().get("execute_after"));
    }
}
