package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
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
     * its status codes, each with a JSON schema and at least one example, and requires the bearer JWT scheme.
     */
    public static void assertDescribed(Map<String, List<String>> statusesByOperation) {
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.jwt.type", equalTo("http"))
                .body("components.securitySchemes.jwt.scheme", equalTo("bearer"))
                .extract().jsonPath();
        statusesByOperation.forEach((operation, statuses) -> {
            String[] parts = operation.split(" ");
            String base = "paths.'" + parts[0] + "'." + parts[1];
            assertNotNull(openapi.getMap(base + ".responses"), operation + " is not described");
            for (String status : statuses) {
                String content = base + ".responses.'" + status + "'.content.'application/json'";
                assertNotNull(openapi.get(content + ".schema"), operation + " " + status + " has no schema");
                Map<String, Object> examples = openapi.getMap(content + ".examples");
                assertTrue(examples != null && !examples.isEmpty(), operation + " " + status + " has no example");
            }
            assertNotNull(openapi.getList(base + ".security"), operation + " has no security requirement");
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
}
