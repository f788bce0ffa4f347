package dev.tenantdeletion.orchestrator.token;

import dev.tenantdeletion.orchestrator.config.KeyFiles;
import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The orchestrator's own outbound service tokens: RS256, {@code type: service}, {@code sub: orchestrator},
 * issued by the configured issuer, valid a few minutes, with the target service's audience as {@code aud} and no
 * {@code scope}: a token sent to one service is refused by the orchestrator and by every other service, and grants
 * no admin operation. The private key (SMALLRYE_JWT_SIGN_KEY_LOCATION)
 * is read once, by the start-up observer {@link #loadKey} (or by whichever start-up code asks for it first), so
 * minting on the event loop never touches the disk; one token per audience is kept and reused until half of its
 * lifetime has passed.
 */
@ApplicationScoped
public class ServiceTokens {

    public static final String SUBJECT = "orchestrator";
    private static final String SIGN_KEY_SETTING = "smallrye.jwt.sign.key.location (SMALLRYE_JWT_SIGN_KEY_LOCATION)";

    private final String keyLocation;
    private final String issuer;
    private final Duration lifetime;
    private volatile PrivateKey key;
    /** The cached token of each audience (a handful: one per registered service). */
    private final Map<String, Minted> current = new ConcurrentHashMap<>();

    public ServiceTokens(@ConfigProperty(name = "smallrye.jwt.sign.key.location") String keyLocation,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer, OrchestratorSettings settings) {
        this.keyLocation = keyLocation;
        this.issuer = issuer;
        this.lifetime = settings.token().lifetime();
        if (lifetime.compareTo(Duration.ofSeconds(30)) < 0 || lifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("deletion.token.lifetime must be between 30s and 1h, is " + lifetime);
        }
    }

    /** Fails the start-up when the signing key cannot be read: without it no service can be called. */
    void loadKey(@Observes @Priority(10) StartupEvent event) {
        key = readKey(keyLocation);
        Log.infof("service tokens signed with the key at %s (issuer %s, lifetime %s)", keyLocation, issuer, lifetime);
    }

    static PrivateKey readKey(String location) {
        return KeyFiles.privateKey(location, SIGN_KEY_SETTING);
    }

    /**
     * The orchestrator's token signing key: it signs service tokens, and deletion certificates unless they have a key of
     * their own (deletion.certificates.sign-key-location). Read here only when
     * a start-up observer running before {@link #loadKey} needs it; afterwards always the loaded key.
     */
    public PrivateKey signingKey() {
        PrivateKey signingKey = key;
        if (signingKey == null) {
            signingKey = readKey(keyLocation);
            key = signingKey;
        }
        return signingKey;
    }

    /** The issuer the orchestrator's tokens and certificates name (mp.jwt.verify.issuer). */
    public String issuer() {
        return issuer;
    }

    /** A valid token for calling this service (its {@link RegisteredService#audience()}). */
    public String forService(RegisteredService service) {
        return forAudience(service.audience());
    }

    /** A valid service token naming {@code audience}, minted anew when the cached one has used half its lifetime. */
    public String forAudience(String audience) {
        Minted minted = current.get(audience);
        Instant now = Instant.now();
        if (minted == null || now.isAfter(minted.renewAfter())) {
            minted = mint(audience, now);
            // two callers racing here both mint a valid token; the last one stays cached
            current.put(audience, minted);
        }
        return minted.token();
    }

    private Minted mint(String audience, Instant now) {
        PrivateKey signingKey = signingKey();
        String token = Jwt.issuer(issuer)
                .subject(SUBJECT)
                .audience(audience)
                .claim("type", "service")
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .sign(signingKey);
        return new Minted(token, now.plus(lifetime.dividedBy(2)));
    }

    private record Minted(String token, Instant renewAfter) {
    }
}
