package dev.tenantdeletion.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.CertificateKeyPairs;
import dev.tenantdeletion.orchestrator.support.TestSettings;
import dev.tenantdeletion.testing.TestKeys;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bounds of deletion.jobs.* and deletion.retry.*, and the certificate key files, each refused with the property's name. */
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
        assertRefused("deletion.reverify.interval", "-1s", "deletion.reverify.interval must be PT0S (off) or positive, is PT-1S");
        assertRefused("deletion.reverify.grace-period", "P91D", "deletion.reverify.grace-period must be between PT0S and PT2160H, is PT2184H");
        assertRefused("deletion.reverify.batch-size", "1001", "deletion.reverify.batch-size must be between 1 and 1000, is 1001");
        assertRefused("deletion.reverify.batch-size", "0", "deletion.reverify.batch-size must be between 1 and 1000, is 0");
        assertRefused("deletion.reverify.poll", "10ms", "deletion.reverify.poll must be at least 100ms, is PT0.01S");
        assertRefused("deletion.reverify.page-pause", "11s", "deletion.reverify.page-pause must be between PT0S and 10s, is PT11S");
    }

    @Test
    void reverificationDefaultsAreTheContracts() {
        OrchestratorSettings.Reverify reverify = TestSettings.with(Map.of()).reverify();
        assertEquals(Duration.ofDays(1), reverify.interval());
        assertEquals(Duration.ofDays(3), reverify.gracePeriod());
        assertEquals(1000, reverify.batchSize());
        assertEquals(Duration.ofMillis(50), reverify.pagePause());
        assertDoesNotThrow(() -> SettingsValidation.validate(TestSettings.with(Map.of("deletion.reverify.interval", "PT0S",
                "deletion.reverify.grace-period", "PT0S"))), "PT0S: off, and at once");
    }

    private static void assertRefused(String property, String value, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsValidation.validate(TestSettings.with(Map.of(property, value))));
        assertEquals(message, refused.getMessage());
    }

    @Test
    void theCertificateSettingsAreReadFromTheirEnvironmentVariables() {
        String a = CertificateKeyPairs.publicKeyFile("certificate-key-a").toString();
        String b = CertificateKeyPairs.publicKeyFile("certificate-key-b").toString();
        OrchestratorSettings.Certificates certificates = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter()).withMapping(OrchestratorSettings.class)
                .withSources(new EnvConfigSource(Map.of("DELETION_CERTIFICATES_SIGN_KEY_LOCATION", "/keys/certificates.pem",
                        "DELETION_CERTIFICATES_RETIRED_KEYS", a + "," + b), 300))
                .build().getConfigMapping(OrchestratorSettings.class).certificates();
        assertEquals(Optional.of("/keys/certificates.pem"), certificates.signKeyLocation());
        assertEquals(Optional.of(List.of(a, b)), certificates.retiredKeys());
    }

    @Test
    void readableCertificateKeysPass() {
        assertDoesNotThrow(() -> SettingsValidation.validate(TestSettings.with(Map.of(
                "deletion.certificates.sign-key-location", "file:" + CertificateKeyPairs.privateKeyFile("certificate-key-b"),
                "deletion.certificates.retired-keys", CertificateKeyPairs.publicKeyFile("certificate-key-a") + ", " + TestKeys.publicKeyFile()))));
    }

    /** A certificate key that cannot sign or cannot be read stops the start-up, naming the setting and the file. */
    @Test
    void aCertificateKeyThatCannotBeUsedIsRefused() throws Exception {
        String signKey = "deletion.certificates.sign-key-location";
        String setting = "deletion.certificates.sign-key-location (DELETION_CERTIFICATES_SIGN_KEY_LOCATION): ";
        Path missing = Path.of("target", "no-such-key.pem").toAbsolutePath();
        assertRefusedStartingWith(signKey, missing.toString(), setting + "cannot read " + missing);
        Path text = Files.writeString(Path.of("target", "not-a-key.pem").toAbsolutePath(), "hello\n");
        assertRefusedStartingWith(signKey, text.toString(), setting + text + " is not a PKCS#8 PEM RSA private key");
        String publicKey = CertificateKeyPairs.publicKeyFile("certificate-key-a").toString();
        assertRefusedStartingWith(signKey, publicKey, setting + publicKey + " is not a PKCS#8 PEM RSA private key");
        String small = CertificateKeyPairs.privateKeyOfBits("certificate-key-small", 1024).toString();
        assertRefused(signKey, small, setting + small + " is a 1024-bit RSA key; at least 2048 bits are needed");

        String retired = "deletion.certificates.retired-keys";
        String retiredSetting = "deletion.certificates.retired-keys (DELETION_CERTIFICATES_RETIRED_KEYS): ";
        String privateKey = CertificateKeyPairs.privateKeyFile("certificate-key-a").toString();
        assertRefusedStartingWith(retired, publicKey + "," + privateKey, retiredSetting + privateKey + " is not a PEM RSA public key");
        assertRefusedStartingWith(retired, publicKey + "," + missing, retiredSetting + "cannot read " + missing);
    }

    private static void assertRefusedStartingWith(String property, String value, String messageStart) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsValidation.validate(TestSettings.with(Map.of(property, value))));
        assertTrue(refused.getMessage().startsWith(messageStart), refused.getMessage());
    }
}
