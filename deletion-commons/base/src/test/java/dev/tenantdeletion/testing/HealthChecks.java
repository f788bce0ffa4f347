package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/**
 * The two faces of an app's health: the unauthenticated {@code /q/health/*} (status and check names only) and
 * {@code GET {base}/health-details} (service tokens: every check with its data).
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /** {@code /q/health/ready} (or live, or the whole), checked to carry no check data; answered for further checks. */
    public static Response publicAnswer(String path) {
        Response answer = given().get(path);
        assertPublic(answer);
        return answer;
    }

    /** Status and names only: no check carries {@code data}, whatever its status. */
    public static void assertPublic(Response answer) {
        List<Map<String, Object>> checks = answer.jsonPath().getList("checks");
        assertNotNull(checks, answer.asString());
        assertFalse(checks.isEmpty(), "the answer names its checks: " + answer.asString());
        for (Map<String, Object> check : checks) {
            assertTrue(check.keySet().stream().allMatch(key -> key.equals("name") || key.equals("status")),
                    "an unauthenticated health answer carries only names and statuses: " + answer.asString());
        }
    }

    /** {@code GET {basePath}/health-details} with a service token: 200, every check with its data. */
    public static Response details(String basePath) {
        Response answer = given().header("Authorization", "Bearer " + TestTokens.service()).get(basePath + "/health-details");
        assertTrue(answer.statusCode() == 200, answer.statusCode() + " " + answer.asString());
        return answer;
    }
}
