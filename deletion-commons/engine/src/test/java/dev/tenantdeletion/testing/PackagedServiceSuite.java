package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The packaged artefact (the jar here, the native binary where GraalVM builds one) against a real
 * database: migrations ran from the derived JDBC URL, the key is read from a file, the service is ready,
 * and a tenant is deleted while its neighbours stay. Run by a service's {@code @QuarkusIntegrationTest}.
 */
public abstract class PackagedServiceSuite {

    protected abstract TenantSeeder seeder();

    private static String basePath() {
        return ConfigProvider.getConfig().getValue("quarkus.rest.path", String.class);
    }

    @Test
    void packagedServiceDeletesATenantAndKeepsItsNeighbours() throws SQLException {
        given().get("/q/health/ready").then().statusCode(200);
        UUID tenant = UUID.randomUUID();
        UUID neighbour = UUID.randomUUID();
        try (Connection db = TestDb.connect()) {
            seeder().seed(db, tenant, 200);
            seeder().seed(db, neighbour, 200);
        }
        String base = basePath() + "/tenant/";
        Response preview = given().header("Authorization", "Bearer " + TestTokens.service())
                .get(base + tenant + "/deletion-preview");
        preview.then().statusCode(200);
        Map<String, Long> counts = counts(preview.jsonPath().getMap("data_counts"));
        List<String> tables = new ArrayList<>(counts.keySet());
        assertTrue(counts.values().stream().allMatch(n -> n > 0), counts.toString());
        Map<String, String> neighbourBefore = TestDb.checksums(tables, neighbour);

        given().header("Authorization", "Bearer " + TestTokens.user("admin", UUID.randomUUID()))
                .get(base + tenant + "/deletion-preview").then().statusCode(403);
        // as the orchestrator calls it: a budget and a key, so the engine's own migration (receipts) is in the jar too
        String key = "packaged-" + UUID.randomUUID();
        Response deleted = given().header("Authorization", "Bearer " + TestTokens.service()).header("Idempotency-Key", key)
                .queryParam("max_duration_ms", 30000).delete(base + tenant);
        deleted.then().statusCode(200).body("summary.success", equalTo(true)).body("summary.complete", equalTo(true));
        assertEquals(counts, counts(deleted.jsonPath().getMap("summary.deleted_counts")));
        Response again = given().header("Authorization", "Bearer " + TestTokens.service()).header("Idempotency-Key", key)
                .delete(base + tenant);
        assertEquals(counts, counts(again.then().statusCode(200).extract().jsonPath().getMap("summary.deleted_counts")),
                "the receipt answers the totals under the key");
        assertEquals(0L, TestDb.total(TestDb.counts(tables, tenant)));
        assertEquals(neighbourBefore, TestDb.checksums(tables, neighbour));
        assertTrue(given().get("/q/metrics").asString().contains("tenant_deletion_rows_deleted_total"));
        assertDeletionLogLines(tenant);
    }

    /**
     * In production the service logs JSON lines; those written while handling the deletion carry the tenant
     * and the service, and no line carries a bearer token. The packaged app logs to target/quarkus.log.
     */
    private static void assertDeletionLogLines(UUID tenant) {
        List<String> lines = awaitLogLine("deleted ");
        ObjectMapper json = new ObjectMapper();
        boolean found = false;
        for (String line : lines) {
            assertFalse(line.contains("Bearer") || line.contains("eyJ"), "a token was logged: " + line);
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode record = json.readTree(line);
                if (record.path("message").asText().startsWith("deleted ") && line.contains(tenant.toString())) {
                    assertEquals(tenant.toString(), record.path("mdc").path("tenant_id").asText(), line);
                    assertEquals(ConfigProvider.getConfig().getValue("quarkus.application.name", String.class),
                            record.path("mdc").path("service").asText(), line);
                    found = true;
                }
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }
        assertTrue(found, "no JSON log line of the deletion in target/quarkus.log");
    }

    private static List<String> awaitLogLine(String fragment) {
        Path log = Path.of("target", "quarkus.log");
        try {
            for (int i = 0; i < 50; i++) {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                if (lines.stream().anyMatch(l -> l.contains(fragment))) {
                    return lines;
                }
                Thread.sleep(100);
            }
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> counts(Map<String, Object> raw) {
        Map<String, Long> counts = new LinkedHashMap<>();
        raw.forEach((table, n) -> counts.put(table, ((Number) n).longValue()));
        return counts;
    }
}
