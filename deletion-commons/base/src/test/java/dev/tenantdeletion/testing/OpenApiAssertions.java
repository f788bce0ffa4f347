package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;

/** Checks the running application's /q/openapi against the contract's paths and status codes. */
public final class OpenApiAssertions {

    private OpenApiAssertions() {
    }

    /**
     * Every operation ("{path} {method}", e.g. "/api/v1/pos/tenant/{tenantId} delete") is described with each of
     * its status codes, each with a JSON schema and at least one example, and requires the bearer JWT scheme; the
     * examples of its 401 (UnauthorizedResponses) and 403 (class-level responses in the resources) are the unauthorized
     * and forbidden bodies.
     */
    public static void assertDescribed(Map<String, List<String>> statusesByOperation) {
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.jwt.type", equalTo("http"))
                .body("components.securitySchemes.jwt.scheme", equalTo("bearer"))
                .body("components.securitySchemes.jwt.bearerFormat", equalTo("JWT"))
                .extract().jsonPath();
        statusesByOperation.forEach((operation, statuses) -> {
            String base = operationPath(operation);
            assertNotNull(openapi.getMap(base + ".responses"), operation + " is not described");
            for (String status : statuses) {
                String content = base + ".responses.'" + status + "'.content.'application/json'";
                assertNotNull(openapi.get(content + ".schema"), operation + " " + status + " has no schema");
                Map<String, Object> examples = openapi.getMap(content + ".examples");
                assertTrue(examples != null && !examples.isEmpty(), operation + " " + status + " has no example");
                if (status.equals("401")) {
                    assertNotNull(openapi.get(base + ".responses.'401'.headers.'WWW-Authenticate'.schema"),
                            operation + " 401 does not declare its WWW-Authenticate header");
                }
                String error = Map.of("401", "unauthorized", "403", "forbidden").get(status);
                if (error != null) {
                    examples.forEach((name, example) -> assertEquals(error, ((Map<?, ?>) ((Map<?, ?>) example).get("value")).get("error"),
                            operation + " " + status + " example " + name));
                }
            }
            List<Map<String, Object>> security = openapi.getList(base + ".security");
            assertNotNull(security, operation + " has no security requirement");
            assertTrue(security.stream().anyMatch(requirement -> requirement.containsKey("jwt")), operation + " does not require jwt");
        });
        // the schemas must name properties as the JSON does (snake_case), not as the Java records do
        Map<String, Map<String, Object>> schemas = openapi.getMap("components.schemas");
        schemas.forEach((schema, definition) -> {
            Object properties = definition.get("properties");
            if (properties instanceof Map<?, ?> names) {
                names.keySet().forEach(name -> assertTrue(name.toString().equals(name.toString().toLowerCase(java.util.Locale.ROOT)),
                        "schema " + schema + " names property " + name + " unlike the JSON"));
            }
        });
    }

    /**
     * A public operation (e.g. the JWKS): described, with an explicitly empty security requirement, and without the 401/403 that
     * the secured resources declare for all their operations.
     */
    public static void assertPublic(String operation) {
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        String base = operationPath(operation);
        Map<String, Object> responses = openapi.getMap(base + ".responses");
        assertNotNull(responses, operation + " is not described");
        List<Object> security = openapi.getList(base + ".security");
        assertTrue(security != null && security.isEmpty(), operation + " needs no token, and says so (security: []): " + security);
        assertFalse(responses.containsKey("401") || responses.containsKey("403"), operation + " answers no 401/403: " + responses.keySet());
    }

    private static String operationPath(String operation) {
        String[] parts = operation.split(" ");
        return "paths.'" + parts[0] + "'." + parts[1];
    }
}
