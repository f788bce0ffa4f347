package dev.tenantdeletion.orchestrator.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry is configuration: the shipped application.properties plus environment variables, read
 * through the same mapping the application uses. A fourth service is an environment variable away.
 */
class ServiceRegistryConfigTest {

    private static OrchestratorSettings settings(Map<String, String> environment) throws Exception {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        ServiceRegistryConfigTest.class.getClassLoader().getResource("application.properties"), 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(OrchestratorSettings.class)
                .build();
        return config.getConfigMapping(OrchestratorSettings.class);
    }

    @Test
    void theDefaultRegistryHasTheThreeServices() throws Exception {
        List<RegisteredService> services = ServiceRegistry.fromSettings(settings(Map.of()));
        assertEquals(List.of(
                new RegisteredService("alert-processor", "http://127.0.0.1:8083/api/v1/alerts", Duration.ofSeconds(30)),
                new RegisteredService("external-service", "http://127.0.0.1:8082/api/v1/external", Duration.ofSeconds(30)),
                new RegisteredService("pos-service", "http://127.0.0.1:8081/api/v1/pos", Duration.ofSeconds(30))), services);
        OrchestratorSettings defaults = settings(Map.of());
        assertEquals(3, defaults.retry().maxAttempts());
        assertEquals(Duration.ofMillis(500), defaults.retry().initialBackoff());
        assertTrue(defaults.enabled());
    }

    @Test
    void environmentVariablesAddAFourthServiceChangeOneAndSwitchOneOff() throws Exception {
        OrchestratorSettings settings = settings(Map.of(
                "DELETION_SERVICES_BILLING_URL", "http://billing:8084/api/v1/billing/",
                "DELETION_SERVICES_BILLING_TIMEOUT", "5s",
                "DELETION_SERVICES_POS_SERVICE_URL", "http://pos:8081/api/v1/pos",
                "DELETION_SERVICES_POS_SERVICE_TIMEOUT", "45s",
                "DELETION_SERVICES_EXTERNAL_SERVICE_ENABLED", "false",
                "DELETION_RETRY_MAX_ATTEMPTS", "5",
                "DELETION_RETRY_INITIAL_BACKOFF", "250ms",
                "DELETION_ENABLED", "false"));
        assertEquals(List.of(
                new RegisteredService("alert-processor", "http://127.0.0.1:8083/api/v1/alerts", Duration.ofSeconds(30)),
                new RegisteredService("billing", "http://billing:8084/api/v1/billing", Duration.ofSeconds(5)),
                new RegisteredService("pos-service", "http://pos:8081/api/v1/pos", Duration.ofSeconds(45))),
                ServiceRegistry.fromSettings(settings));
        assertEquals(5, settings.retry().maxAttempts());
        assertEquals(Duration.ofMillis(250), settings.retry().initialBackoff());
        assertEquals(false, settings.enabled());
    }

    /** deletion.services.<name>.audience: the aud of the tokens that service is sent, by default its registry name. */
    @Test
    void aServiceMayHaveAnAudienceOtherThanItsName() throws Exception {
        List<RegisteredService> services = ServiceRegistry.fromSettings(settings(Map.of(
                "DELETION_SERVICES_BILLING_URL", "http://billing:8084/api/v1/billing",
                "DELETION_SERVICES_BILLING_AUDIENCE", "billing-eu",
                "DELETION_SERVICES_POS_SERVICE_AUDIENCE", "pos")));
        assertEquals(List.of("alert-processor", "billing-eu", "external-service", "pos"),
                services.stream().map(RegisteredService::audience).toList());
        assertEquals(List.of("alert-processor", "billing", "external-service", "pos-service"),
                services.stream().map(RegisteredService::name).toList());
        assertThrows(IllegalArgumentException.class, () -> SettingsValidation.validate(settings(Map.of(
                "DELETION_SERVICES_POS_SERVICE_AUDIENCE", " "))));
    }

    @Test
    void aBrokenRegistryIsRefusedAtStartUp() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> SettingsValidation.validate(settings(Map.of(
                "DELETION_SERVICES_BILLING_URL", "billing:8084"))));
        assertThrows(IllegalArgumentException.class, () -> SettingsValidation.validate(settings(Map.of(
                "DELETION_SERVICES_POS_SERVICE_TIMEOUT", "0s"))));
        assertThrows(IllegalArgumentException.class, () -> SettingsValidation.validate(settings(Map.of("DELETION_RETRY_MAX_ATTEMPTS", "0"))));
    }
}
