package dev.tenantdeletion.deletion.access;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The token parser every request goes through: SmallRye JWT's own, which verifies signature, algorithm,
 * issuer and times, in front of which tokens that passed that verification are remembered until they
 * expire. Callers reuse tokens (the orchestrator keeps each for minutes), and with the C1-only JIT of
 * deploy/jvm/java-options the RS256 check was half of a preview's CPU (JFR).
 *
 * <p>Why this is as strict as verifying every time: the key is the whole token, so a token differing in any
 * byte is verified in full; only successful verifications are kept; a kept token is served only before
 * its {@code exp}; and the verification key is read once at start-up, so no verification goes stale while
 * the process runs. At most {@value #MAX_ENTRIES} tokens are kept; beyond that the cache starts afresh.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    static final int MAX_ENTRIES = 1024;

    private final JWTParser verifier;
    private final LongSupplier epochSeconds;
    private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    /** SmallRye JWT's parser bean, the one the framework would use without this class. */
    @Inject
    public VerifiedTokens(DefaultJWTParser verifier) {
        this(verifier, () -> System.currentTimeMillis() / 1000);
    }

    VerifiedTokens(JWTParser verifier, LongSupplier epochSeconds) {
        this.verifier = verifier;
        this.epochSeconds = epochSeconds;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.get(token);
        if (known != null) {
            if (epochSeconds.getAsLong() < known.getExpirationTime()) {
                return known;
            }
            verified.remove(token, known);
        }
        JsonWebToken jwt = verifier.parse(token);
        if (jwt.getExpirationTime() > epochSeconds.getAsLong()) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(token, jwt);
        }
        return jwt;
    }

    int size() {
        return verified.size();
    }

    // Verification against other keys or contexts than the configured ones is never remembered.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
