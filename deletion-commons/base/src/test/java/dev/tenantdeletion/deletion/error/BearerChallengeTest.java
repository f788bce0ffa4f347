package dev.tenantdeletion.deletion.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6750: invalid_token only where a bearer token was sent. */
class BearerChallengeTest {

    @Test
    void invalidTokenOnlyWhenABearerTokenWasSent() {
        assertEquals("Bearer", BearerChallenge.challenge((String) null));
        assertEquals("Bearer", BearerChallenge.challenge(""));
        assertEquals("Bearer", BearerChallenge.challenge("Bearer "));
        assertEquals("Bearer", BearerChallenge.challenge("Bearer"));
        assertEquals("Bearer", BearerChallenge.challenge("Basic dXNlcjpwYXNz"));
        assertEquals("Bearer", BearerChallenge.challenge("Bearerabc"));
        assertEquals("Bearer error=\"invalid_token\"", BearerChallenge.challenge("Bearer abc.def.ghi"));
        assertEquals("Bearer error=\"invalid_token\"", BearerChallenge.challenge("bearer abc"));
        assertEquals("Bearer error=\"invalid_token\"", BearerChallenge.challenge("  BEARER   abc  "));
    }
}
