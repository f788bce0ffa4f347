package dev.tenantdeletion.orchestrator.certificate;

import dev.tenantdeletion.orchestrator.config.KeyFiles;
import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import dev.tenantdeletion.orchestrator.token.PublicJwk;
import dev.tenantdeletion.orchestrator.token.ServiceTokens;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificate keys: the one that signs (DELETION_CERTIFICATES_SIGN_KEY_LOCATION, else the token signing key) and
 * the retired ones that signed earlier certificates (DELETION_CERTIFICATES_RETIRED_KEYS). All are read once at start-up
 * (after {@link SettingsValidation} has refused unreadable ones), so signing and serving the JWKS never touch the disk.
 */
@ApplicationScoped
public class CertificateKeys {

    private final ServiceTokens tokens;
    private final OrchestratorSettings.Certificates settings;
    private volatile Loaded loaded;

    public CertificateKeys(ServiceTokens tokens, OrchestratorSettings settings) {
        this.tokens = tokens;
        this.settings = settings.certificates();
    }

    /** The signing key, its JWK, and every key the JWKS publishes: the current one first, then the retired ones. */
    private record Loaded(PrivateKey signingKey, PublicJwk current, List<PublicJwk> published) {
    }

    void load(@Observes @Priority(20) StartupEvent event) {
        Loaded keys = loaded();
        List<String> retired = keys.published().stream().skip(1).map(PublicJwk::kid).toList();
        Log.infof("deletion certificates signed with the key %s (%s); retired keys in the JWKS: %s", keys.current().kid(),
                settings.signKeyLocation().map(location -> "from " + location).orElse("the token signing key"),
                retired.isEmpty() ? "none" : String.join(", ", retired));
    }

    /** The key that signs certificates now. */
    public PrivateKey signingKey() {
        return loaded().signingKey();
    }

    /** The JWK of the key that signs certificates now; its kid is the one a certificate's header names. */
    public PublicJwk current() {
        return loaded().current();
    }

    /** Every key the JWKS lists, each once: the current key, then the retired keys in the order configured. */
    public List<PublicJwk> published() {
        return loaded().published();
    }

    private Loaded loaded() {
        Loaded keys = loaded;
        if (keys == null) {
            keys = read();
            loaded = keys;
        }
        return keys;
    }

    private Loaded read() {
        PrivateKey signingKey = settings.signKeyLocation()
                .<PrivateKey>map(location -> KeyFiles.privateKey(location, SettingsValidation.SIGN_KEY_SETTING))
                .orElseGet(tokens::signingKey);
        PublicJwk current = PublicJwk.of(signingKey);
        // keyed by kid: the current key listed as retired too (a rotation half done) is published once
        Map<String, PublicJwk> published = new LinkedHashMap<>();
        published.put(current.kid(), current);
        for (String file : settings.retiredKeys().orElse(List.of())) {
            if (!file.isBlank()) {
                PublicJwk retired = PublicJwk.of(KeyFiles.publicKey(file, SettingsValidation.RETIRED_KEYS_SETTING));
                published.putIfAbsent(retired.kid(), retired);
            }
        }
        return new Loaded(signingKey, current, List.copyOf(published.values()));
    }
}
