package dev.tenantdeletion.deletion.access;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The token parser every request goes through: SmallRye JWT's own, which verifies signature, algorithm,
 * issuer and times, with tokens that passed that verification remembered until they expire. Callers reuse
 * tokens (the orchestrator keeps each for minutes), and with the C1-only JIT of deploy/jvm/java-options the
 * RS256 check was half of a preview's CPU (JFR).
 *
 * <p>Why this is as strict as verifying every time: the key is the whole token, so a token differing in any
 * byte is verified in full; only successful verifications are kept; a kept token is served only before
 * its {@code exp}; and the verification key is read once at start-up, so no verification goes stale while
 * the process runs. At most {@value #MAX_ENTRIES} tokens are kept; beyond that the cache starts afresh.
 * Every other method (other keys, decryption) is SmallRye's, unchanged and never remembered.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends DefaultJWTParser {

    static final int MAX_ENTRIES = 1024;

    private final LongSupplier epochSeconds;
    private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    /** The bean: SmallRye injects the configured verification context into the fields of its parser. */
    public VerifiedTokens() {
        this.epochSeconds = () -> System.currentTimeMillis() / 1000;
    }

    VerifiedTokens(JWTAuthContextInfo context, LongSupplier epochSeconds) {
        super(context);
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
        JsonWebToken jwt = verifyInFull(token);
        if (jwt.getExpirationTime() > epochSeconds.getAsLong()) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** SmallRye JWT's complete verification of the token. */
    protected JsonWebToken verifyInFull(String token) throws ParseException {
        return super.parse(token);
    }

    int size() {
        return verified.size();
    }
}
