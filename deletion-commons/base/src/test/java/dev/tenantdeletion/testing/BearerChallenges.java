package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;

/** RFC 6750 on every 401: {@code WWW-Authenticate: Bearer}, with {@code error="invalid_token"} when a token was sent. */
public final class BearerChallenges {

    private BearerChallenges() {
    }

    /** A 401 answer names the Bearer scheme (and invalid_token when {@code token} was sent); other answers are not checked. */
    public static void assertChallenge(String label, String token, Response response) {
        if (response.statusCode() != 401) {
            return;
        }
        String expected = token == null ? "Bearer" : "Bearer error=\"invalid_token\"";
        assertEquals(expected, response.header("WWW-Authenticate"), label + ": WWW-Authenticate of a 401");
    }
}
