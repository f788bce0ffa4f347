package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * POST {base}/tenants/deletion-check, the question re-verification asks every service. Part of the contract suite
 * ({@link DeletionContractSuite} extends it), so every service and both test schemas run it.
 */
public abstract class DeletionCheckSuite extends ServiceTestSupport {

    private static final int MAX_TENANTS = 1000;

    protected String checkPath() {
        return basePath + "/tenants/deletion-check";
    }

    protected Response check(String token, String body) {
        var spec = given().contentType("application/json").body(body);
        return (token == null ? spec : spec.header("Authorization", "Bearer " + token)).post(checkPath());
    }

    protected Response check(List<?> ids) {
        return check(TestTokens.service(), body(ids));
    }

    protected static String body(List<?> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(", ", "{\"tenant_ids\": [", "]}"));
    }

    @Test
    void checkListsOnlyTenantsWithRowsCountedAsThePreview() {
        UUID large = seededTenant(60);
        UUID small = seededTenant(3);
        UUID erased = seededTenant(20);
        delete(TestTokens.service(), erased.toString()).then().statusCode(200);
        UUID neverSeen = UUID.randomUUID();

        // upper case names the same tenant and is answered in lower case; a repeated id is answered once
        Response response = check(List.of(neverSeen, large.toString().toUpperCase(Locale.ROOT), erased, small, large));
        response.then().statusCode(200).body("service", equalTo(serviceName));
        Map<String, Map<String, Object>> tenants = response.jsonPath().getMap("tenants");
        assertEquals(List.of(large.toString(), small.toString()), new ArrayList<>(tenants.keySet()),
                "only the tenants holding rows, as asked: " + response.asString());
        for (UUID tenant : List.of(large, small)) {
            Map<String, Long> checked = longs(response, "tenants.'" + tenant + "'");
            Map<String, Long> previewed = longs(preview(TestTokens.service(), tenant.toString()).then().statusCode(200).extract().response(),
                    "data_counts");
            assertEquals(previewed, checked, "the check counts " + tenant + " as its preview does, table by table");
            assertEquals(counts(tenant), checked, "and as the rows really are");
        }
        assertTrue(tables().stream().allMatch(table -> longs(response, "tenants.'" + large + "'").get(table) > 0),
                "the seeded tenant has rows in every planned table, tables reached through a parent included: " + response.asString());
    }

    @Test
    void nobodyWithRowsIsAnEmptyObject() {
        check(List.of(UUID.randomUUID(), UUID.randomUUID())).then().statusCode(200)
                .body("service", equalTo(serviceName)).body("tenants", equalTo(Map.of()));
    }

    @Test
    void aThousandIdsAreOneAnswerAThousandAndOneAre400() {
        UUID first = seededTenant(5);
        UUID last = seededTenant(5);
        List<Object> ids = new ArrayList<>();
        ids.add(first);
        IntStream.range(0, MAX_TENANTS - 2).forEach(i -> ids.add(UUID.randomUUID()));
        ids.add(last);
        Response thousand = check(ids);
        thousand.then().statusCode(200);
        assertEquals(List.of(first.toString(), last.toString()), new ArrayList<>(thousand.jsonPath().getMap("tenants").keySet()));
        assertEquals(counts(last), longs(thousand, "tenants.'" + last + "'"));

        ids.add(UUID.randomUUID());
        check(ids).then().statusCode(400).body("error", equalTo("invalid_request")).body("message", notNullValue());
    }

    @Test
    void badBodiesAre400InvalidRequestAndTouchNothing() {
        UUID tenant = seededTenant(20);
        Map<String, String> before = checksums(tenant);
        String valid = tenant.toString();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("not JSON", "tenant_ids=" + valid);
        bad.put("broken JSON", "{\"tenant_ids\": [\"" + valid + "\"");
        bad.put("empty body", "");
        bad.put("JSON null", "null");
        bad.put("an array, not an object", "[\"" + valid + "\"]");
        bad.put("a string, not an object", "\"" + valid + "\"");
        bad.put("missing field", "{}");
        bad.put("misspelt field", "{\"tenant_id\": [\"" + valid + "\"]}");
        bad.put("unknown field next to it", "{\"tenant_ids\": [\"" + valid + "\"], \"drop\": true}");
        bad.put("null list", "{\"tenant_ids\": null}");
        bad.put("empty list", "{\"tenant_ids\": []}");
        bad.put("a string, not a list", "{\"tenant_ids\": \"" + valid + "\"}");
        bad.put("an object, not a list", "{\"tenant_ids\": {\"id\": \"" + valid + "\"}}");
        for (String id : List.of("abc", "{" + valid + "}", "urn:uuid:" + valid, valid.replace("-", ""), valid + "0",
                " " + valid, "' or '1'='1", "a".repeat(10 * 1024))) {
            bad.put("malformed id " + (id.length() > 40 ? id.substring(0, 40) + "..." : id), body(List.of(valid, id)));
        }
        bad.put("a number as id", "{\"tenant_ids\": [\"" + valid + "\", 42]}");
        bad.put("null as id", "{\"tenant_ids\": [null]}");
        bad.put("a list as id", "{\"tenant_ids\": [[\"" + valid + "\"]]}");
        bad.forEach((label, body) -> {
            Response response = check(TestTokens.service(), body);
            assertEquals(400, response.statusCode(), label + ": " + response.asString());
            response.then().body("error", equalTo("invalid_request")).body("message", notNullValue());
        });
        assertEquals(before, checksums(tenant));
    }

    @Test
    void serviceTokensOnly() {
        UUID tenant = seededTenant(10);
        String body = body(List.of(tenant));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("owner of the tenant", TestTokens.user("owner", tenant));
        refused.put("admin of the tenant", TestTokens.user("admin", tenant));
        refused.put("member of the tenant", TestTokens.user("member", tenant));
        refused.put("without type claim", TestTokens.withoutType());
        refused.forEach((label, token) -> {
            Response response = check(token, body);
            assertEquals(403, response.statusCode(), label + ": " + response.asString());
            response.then().body("error", equalTo("forbidden")).body("tenants", equalTo(null));
        });
        // a user is refused before the body is read: a bad body does not turn the 403 into a 400
        check(TestTokens.user("owner", tenant), "{}").then().statusCode(403);
        Map<String, String> unauthenticated = new LinkedHashMap<>();
        unauthenticated.put("no token", null);
        unauthenticated.put("expired", TestTokens.expired());
        unauthenticated.put("wrong signature", TestTokens.wrongSignature());
        unauthenticated.put("malformed", TestTokens.malformed());
        unauthenticated.put("without aud", TestTokens.withoutAudience());
        unauthenticated.put("service token for the orchestrator", TestTokens.serviceFor("orchestrator"));
        unauthenticated.forEach((label, token) -> {
            Response response = check(token, body);
            assertEquals(401, response.statusCode(), label + ": " + response.asString());
            response.then().body("error", equalTo("unauthorized"));
            BearerChallenges.assertChallenge(label, token, response);
        });
        check(TestTokens.service(), body).then().statusCode(200).body("tenants.'" + tenant + "'", notNullValue());
    }

    @Test
    void checkWhenTheDatabaseIsUnreachableIs500NeverEmpty() throws Exception {
        UUID tenant = seededTenant(10);
        String database = TestDb.database();
        try (Connection admin = TestDb.server().connectAdmin(); Statement sql = admin.createStatement()) {
            sql.execute("alter database " + database + " allow_connections false");
            sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "'");
            try {
                Response response = check(List.of(tenant));
                assertEquals(500, response.statusCode(), response.asString());
                response.then().body("error", equalTo("deletion_check_failed")).body("tenants", equalTo(null));
            } finally {
                sql.execute("alter database " + database + " allow_connections true");
            }
        }
        // back to normal before the next test: the check answers again, and the service is ready again
        awaitOk(() -> check(List.of(tenant)));
        check(List.of(tenant)).then().statusCode(200).body("tenants.'" + tenant + "'", notNullValue());
        awaitOk(() -> given().get("/q/health/ready"));
    }

    private static void awaitOk(java.util.function.Supplier<Response> call) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        int last = call.get().statusCode();
        while (last != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = call.get().statusCode();
        }
        assertEquals(200, last, "did not recover");
    }

    @Test
    void openApiDescribesTheCheck() {
        OpenApiAssertions.assertDescribed(Map.of(checkPath() + " post", List.of("200", "400", "401", "403", "500")));
        var openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        String operation = "paths.'" + checkPath() + "'.post";
        assertEquals("checkTenantsDeleted", openapi.getString(operation + ".operationId"));
        assertTrue(openapi.getString(operation + ".requestBody.content.'application/json'.schema.'$ref'").endsWith("/DeletionCheckRequest"));
        assertTrue(openapi.getMap("components.schemas.DeletionCheckRequest.properties").containsKey("tenant_ids"));
        assertTrue(openapi.getMap("components.schemas.DeletionCheckResponse.properties").containsKey("tenants"));
    }
}
