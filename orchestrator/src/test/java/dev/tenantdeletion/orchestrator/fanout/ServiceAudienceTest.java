package dev.tenantdeletion.orchestrator.fanout;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every outbound call carries a token for its target alone: {@code aud} is the service's audience, here pos-service's
 * own setting (deletion.services.pos-service.audience) and the registry name for the others. The fakes refuse any
 * other aud, so the job and the preview only succeed if every call, DELETE and preview, had the right one.
 */
@QuarkusTest
@WithTestResource(value = OrchestratorTestResource.class, initArgs = @ResourceArg(name = "audience", value = "pos-service:pos-custom"))
class ServiceAudienceTest {

    private static final List<String> OTHERS = List.of("alert-processor", "external-service");

    private final FakeServices fake = FakeServices.current();

    @Test
    void eachServiceGetsATokenForItsConfiguredAudience() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 3));

        Api.preview(TestTokens.service(), tenant.toString()).then().statusCode(200);
        assertEquals(List.of(), fake.rejections(), "the preview's calls were refused");
        String jobId = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        assertEquals("completed", awaitFinal(TestTokens.service(), jobId, Duration.ofSeconds(20)).jsonPath().getString("status"));
        assertEquals(List.of(), fake.rejections(), "the job's calls were refused");

        assertEquals("pos-custom", fake.lastClaims("pos-service").getValue("aud"));
        for (String other : OTHERS) {
            assertEquals(other, fake.lastClaims(other).getValue("aud"), other);
            assertFalse(fake.lastClaims(other).containsKey("scope"), other + ": outbound tokens carry no scope");
        }
        assertNotEquals(fake.lastClaims("alert-processor").getString("aud"), fake.lastClaims("external-service").getString("aud"),
                "one token per service");
    }
}
