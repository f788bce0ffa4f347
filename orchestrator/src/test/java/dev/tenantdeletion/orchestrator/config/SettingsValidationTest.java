package dev.tenantdeletion.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tenantdeletion.orchestrator.support.TestSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds of deletion.jobs.* and deletion.retry.*, each refused with the property's name. */
class SettingsValidationTest {

    @Test
    void theDefaultsPass() {
        assertDoesNotThrow(() -> SettingsValidation.validate(TestSettings.with(Map.of())));
    }

    @Test
    void aSettingOutOfBoundsIsRefusedByName() {
        assertRefused("deletion.jobs.lease", "0s", "deletion.jobs.lease must be positive, is PT0S");
        assertRefused("deletion.jobs.sweep-interval", "-1s", "deletion.jobs.sweep-interval must be positive, is PT-1S");
        assertRefused("deletion.jobs.shutdown-grace", "-1s", "deletion.jobs.shutdown-grace must not be negative, is PT-1S");
        assertRefused("deletion.jobs.default-grace-period", "P91D",
                "deletion.jobs.default-grace-period must be from PT0S to P90D, is PT2184H");
        assertRefused("deletion.jobs.max-concurrent", "0", "deletion.jobs.max-concurrent must be at least 1, is 0");
        assertRefused("deletion.retry.max-attempts", "0", "deletion.retry.max-attempts must be at least 1, is 0");
        assertRefused("deletion.retry.max-backoff", "0s", "deletion.retry.max-backoff must be positive, is PT0S");
    }

    private static void assertRefused(String property, String value, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsValidation.validate(TestSettings.with(Map.of(property, value))));
        assertEquals(message, refused.getMessage());
    }
}
