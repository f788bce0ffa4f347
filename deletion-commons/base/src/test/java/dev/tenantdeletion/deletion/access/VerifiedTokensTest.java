package dev.tenantdeletion.deletion.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Remembering verified tokens must never accept what a full verification would refuse. */
class VerifiedTokensTest {

    /** On the test key and issuer, counting SmallRye JWT's full verifications. */
    private static final class CountingTokens extends VerifiedTokens {
        final AtomicInteger verifications = new AtomicInteger();

        CountingTokens(AtomicLong now) {
            super(new JWTAuthContextInfo(TestKeys.publicKey(), TestTokens.ISSUER), now::get);
        }

        @Override
        protected JsonWebToken verifyInFull(String token) throws ParseException {
            verifications.incrementAndGet();
            return super.verifyInFull(token);
        }
    }

    private final AtomicLong now = new AtomicLong(System.currentTimeMillis() / 1000);
    private final CountingTokens tokens = new CountingTokens(now);
    private final AtomicInteger verifications = tokens.verifications;

    @Test
    void aVerifiedTokenIsVerifiedOnceAndThenServedUntilItExpires() throws ParseException {
        String token = TestTokens.service();
        JsonWebToken first = tokens.parse(token);
        assertSame(first, tokens.parse(token));
        assertEquals(1, verifications.get());

        now.set(first.getExpirationTime());
        // from exp on, the full verification decides again (and its answer is not kept)
        tokens.parse(token);
        assertEquals(2, verifications.get());
        assertEquals(0, tokens.size());
    }

    @Test
    void aTokenDifferingInOneByteIsVerifiedInFull() throws ParseException {
        String token = TestTokens.service();
        tokens.parse(token);
        // inside the signature: the last base64url character also carries padding bits a decoder ignores
        int at = token.length() - 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
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
        assertEquals(2 * refusedTokens.length, verifications.get());
        assertEquals(0, tokens.size());
    }
}
