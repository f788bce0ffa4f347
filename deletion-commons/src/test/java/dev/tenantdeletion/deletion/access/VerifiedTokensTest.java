package dev.tenantdeletion.deletion.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Remembering verified tokens must never accept what a full verification would refuse. */
class VerifiedTokensTest {

    /** SmallRye JWT's own parser on the test key and issuer, counting its verifications. */
    private static final class CountingVerifier extends DefaultJWTParser {
        final AtomicInteger verifications = new AtomicInteger();

        CountingVerifier() {
            super(new JWTAuthContextInfo(TestKeys.publicKey(), TestTokens.ISSUER));
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            verifications.incrementAndGet();
            return super.parse(token);
        }
    }

    private final CountingVerifier verifier = new CountingVerifier();
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis() / 1000);
    private final VerifiedTokens tokens = new VerifiedTokens(verifier, now::get);

    @Test
    void aVerifiedTokenIsVerifiedOnceAndThenServedUntilItExpires() throws ParseException {
        String token = TestTokens.service();
        JsonWebToken first = tokens.parse(token);
        assertSame(first, tokens.parse(token));
        assertEquals(1, verifier.verifications.get());

        now.set(first.getExpirationTime());
        // from exp on, the full verification decides again (and its answer is not kept)
        tokens.parse(token);
        assertEquals(2, verifier.verifications.get());
        assertEquals(0, tokens.size());
    }

    @Test
    void aTokenDifferingInOneByteIsVerifiedInFull() throws ParseException {
        String token = TestTokens.service();
        tokens.parse(token);
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThrows(ParseException.class, () -> tokens.parse(tampered));
        String otherPayload = TestTokens.rs256(TestTokens.claims("someone-else", "service", null, null));
        assertEquals("someone-else", tokens.parse(otherPayload).getSubject());
    }

    @Test
    void refusedTokensAreNeverRemembered() {
        String[] refusedTokens = {TestTokens.expired(), TestTokens.notYetValid(), TestTokens.withoutExpiry(),
            TestTokens.wrongIssuer(), TestTokens.wrongSignature(), TestTokens.algNone(), TestTokens.hs256WithPublicKey(),
            TestTokens.malformed()};
        for (String refused : refusedTokens) {
            assertThrows(ParseException.class, () -> tokens.parse(refused));
            assertThrows(ParseException.class, () -> tokens.parse(refused));
        }
        assertEquals(2 * refusedTokens.length, verifier.verifications.get());
        assertEquals(0, tokens.size());
    }
}
