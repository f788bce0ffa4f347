package dev.tenantdeletion.orchestrator.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.support.TestSettings;
import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One cached token per target audience, naming that audience alone and no scope. */
class ServiceTokensTest {

    private final ServiceTokens tokens = new ServiceTokens(TestKeys.privateKeyFile().toString(), TestTokens.ISSUER,
            TestSettings.with(Map.of()));

    @Test
    void eachServiceGetsItsOwnAudienceAndNoScope() {
        RegisteredService pos = new RegisteredService("pos-service", "http://pos/api/v1/pos", Duration.ofSeconds(1));
        RegisteredService billing = new RegisteredService("billing", "http://billing/api", Duration.ofSeconds(1), "billing-v2");
        JsonObject posClaims = claims(tokens.forService(pos));
        JsonObject billingClaims = claims(tokens.forService(billing));
        assertEquals("pos-service", posClaims.getValue("aud"), "the registry name by default");
        assertEquals("billing-v2", billingClaims.getValue("aud"), "the configured audience");
        for (JsonObject claims : new JsonObject[] {posClaims, billingClaims}) {
            assertEquals("service", claims.getString("type"));
            assertEquals(ServiceTokens.SUBJECT, claims.getString("sub"));
            assertFalse(claims.containsKey("scope"), "outbound tokens carry no scope: " + claims);
        }
    }

    @Test
    void aTokenIsCachedPerAudience() {
        RegisteredService pos = new RegisteredService("pos-service", "http://pos/api/v1/pos", Duration.ofSeconds(1));
        String first = tokens.forService(pos);
        assertEquals(first, tokens.forService(pos), "reused while fresh");
        assertEquals(first, tokens.forAudience("pos-service"));
        assertNotEquals(first, tokens.forAudience("external-service"));
        assertEquals(tokens.forAudience("external-service"), tokens.forAudience("external-service"));
    }

    private static JsonObject claims(String jwt) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
