package dev.tenantdeletion.testschemas.suppliers;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import dev.tenantdeletion.testschemas.SchemaProfile;
import dev.tenantdeletion.testschemas.StatementCountingDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The deletion check's cost does not grow with the tenants asked about: the statements the service sends PostgreSQL,
 * read off the wire ({@link StatementCountingDatabase}), are the same one statement for 1 tenant and for 1,000, on the
 * schema whose tables are reached through parents (two levels deep) and form a tree.
 */
@QuarkusTest
@TestProfile(SchemaProfile.SuppliersWholeTenant.class)
@WithTestResource(StatementCountingDatabase.class)
class SuppliersDeletionCheckStatementsTest {

    @Inject
    DeletionPlan plan;

    @ConfigProperty(name = "quarkus.rest.path")
    String basePath;

    @Test
    void oneStatementWhateverTheNumberOfTenants() throws Exception {
        List<UUID> seeded = new ArrayList<>();
        try (Connection db = TestDb.connect()) {
            for (int i = 0; i < 3; i++) {
                UUID tenant = UUID.randomUUID();
                new SuppliersSeeder().seed(db, tenant, 30);
                seeded.add(tenant);
            }
        }
        List<String> one = statementsOf(List.of(seeded.get(0)), 1);
        List<Object> thousand = new ArrayList<>(seeded);
        IntStream.range(0, 1000 - seeded.size()).forEach(i -> thousand.add(UUID.randomUUID()));
        List<String> many = statementsOf(thousand, seeded.size());

        assertEquals(1, one.size(), "one tenant: " + one);
        assertEquals(1, many.size(), "a thousand tenants: one statement, not " + many.size());
        assertEquals(one, many, "a thousand tenants: the same statement");
        for (String table : plan.tableNames()) {
            assertTrue(one.get(0).contains(table), "the one statement counts " + table + ": " + one.get(0));
        }
        // what one preview costs, for comparison: the same one statement per call, for a single tenant
        StatementCountingDatabase.forget();
        given().header("Authorization", "Bearer " + TestTokens.service())
                .get(basePath + "/tenant/" + seeded.get(1) + "/deletion-preview").then().statusCode(200);
        assertEquals(1, plannedTableStatements().size(), "a preview: " + plannedTableStatements());
    }

    /**
     * What only DDL changes is read once (issue 26 point 2, issue 27 point 5): a DELETE sends one short statement before
     * its first lock — the schema's fingerprint and whether the tenant has rows — and an empty tenant's DELETE sends
     * nothing else (no catalog read, no transaction); DDL is seen by the very next call.
     */
    @Test
    void aDeletionReadsTheCatalogOnlyAfterTheSchemaChanged() throws Exception {
        UUID seeded = UUID.randomUUID();
        try (Connection db = TestDb.connect()) {
            new SuppliersSeeder().seed(db, seeded, 30);
        }
        delete(UUID.randomUUID(), 200); // the first call of the app reads the catalog
        StatementCountingDatabase.forget();
        delete(UUID.randomUUID(), 200);
        // its transaction only carries the settings that read the tenant's rows by index (ByTenantIndex)
        List<String> empty = callStatements().stream().filter(sql -> !sql.equalsIgnoreCase("begin")).toList();
        assertEquals(1, empty.size(), "an empty tenant's DELETE: one statement, not " + empty);
        assertTrue(empty.get(0).contains("pg_class") && plan.tableNames().stream().allMatch(empty.get(0)::contains), empty.get(0));

        StatementCountingDatabase.forget();
        delete(seeded, 200);
        List<String> full = callStatements();
        // the full reads: the coverage check's tables and foreign keys (ForeignKeys, also the fast path's preparation)
        assertTrue(full.stream().noneMatch(sql -> sql.contains("as on_delete") || sql.contains("relispartition")),
                "no full catalog read while the schema is unchanged: " + full);
        assertEquals(1, full.stream().filter(sql -> sql.contains("as fingerprint")).count(), full.toString());
        assertTrue(full.stream().anyMatch(sql -> sql.startsWith("delete from") || sql.contains("(delete from")), full.toString());

        // a budgeted call on a small tenant (deletion.whole-tenant-rows): one transaction, not one per table and batch
        UUID small = UUID.randomUUID();
        try (Connection db = TestDb.connect()) {
            new SuppliersSeeder().seed(db, small, 30);
        }
        StatementCountingDatabase.forget();
        given().header("Authorization", "Bearer " + TestTokens.service()).delete(basePath + "/tenant/" + small + "?max_duration_ms=5000")
                .then().statusCode(200).body("summary.complete", org.hamcrest.Matchers.equalTo(true));
        List<String> budgeted = callStatements();
        assertEquals(1, budgeted.stream().filter(sql -> sql.startsWith("lock table")).count(), "one transaction: " + budgeted);
        given().header("Authorization", "Bearer " + TestTokens.service()).get(basePath + "/tenant/" + small + "/deletion-preview")
                .then().statusCode(200).body("total_items", org.hamcrest.Matchers.equalTo(0));

        try (Connection db = TestDb.connect(); java.sql.Statement ddl = db.createStatement()) {
            ddl.execute("create table unplanned_notes (id uuid primary key, tenant_id uuid not null)");
            try {
                given().header("Authorization", "Bearer " + TestTokens.service()).delete(basePath + "/tenant/" + UUID.randomUUID())
                        .then().statusCode(503).body("error", org.hamcrest.Matchers.equalTo("coverage_failed"));
            } finally {
                ddl.execute("drop table unplanned_notes");
            }
        }
        delete(UUID.randomUUID(), 200);
    }

    /**
     * Only a key's first call takes a small tenant whole: a later call under the same key (a job's next call) finds the
     * rows its earlier calls deleted still below the parents (not yet vacuumed), which the parents' foreign-key checks
     * visit and the tenant's row count does not show; it goes in batches, each sized by its own time.
     */
    @Test
    void aLaterCallUnderTheSameKeyGoesInBatches() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = UUID.randomUUID() + ":suppliers";
        try (Connection db = TestDb.connect()) {
            new SuppliersSeeder().seed(db, tenant, 30);
        }
        StatementCountingDatabase.forget();
        budgetedDelete(tenant, key);
        assertEquals(1, callStatements().stream().filter(sql -> sql.startsWith("lock table")).count(), "the key's first call: one transaction");
        try (Connection db = TestDb.connect()) {
            new SuppliersSeeder().seed(db, tenant, 30); // the tenant kept writing
        }
        StatementCountingDatabase.forget();
        budgetedDelete(tenant, key);
        List<String> later = callStatements();
        assertTrue(later.stream().filter(sql -> sql.startsWith("lock table")).count() > 1, "the key's second call: batches, " + later);
        // the first round of batches starts from the call's first statement's counts; only the round after it asks again
        assertEquals(1, later.stream().filter(sql -> sql.startsWith("select exists")).count(), "which tables hold rows, asked once: " + later);
        given().header("Authorization", "Bearer " + TestTokens.service()).get(basePath + "/tenant/" + tenant + "/deletion-preview")
                .then().statusCode(200).body("total_items", org.hamcrest.Matchers.equalTo(0));
    }

    private void budgetedDelete(UUID tenant, String key) {
        given().header("Authorization", "Bearer " + TestTokens.service()).header("Idempotency-Key", key)
                .delete(basePath + "/tenant/" + tenant + "?max_duration_ms=5000")
                .then().statusCode(200).body("summary.complete", org.hamcrest.Matchers.equalTo(true));
    }

    private void delete(UUID tenant, int status) {
        given().header("Authorization", "Bearer " + TestTokens.service()).delete(basePath + "/tenant/" + tenant).then().statusCode(status);
    }

    /** What a call sent: statements of the planned tables, the catalog or a transaction (not the receipt pruning's). */
    private List<String> callStatements() {
        return StatementCountingDatabase.executed().stream()
                .filter(sql -> plan.tableNames().stream().anyMatch(sql::contains) || sql.contains("pg_catalog") || sql.contains("pg_class")
                        || sql.contains("pg_constraint") || sql.startsWith("BEGIN") || sql.startsWith("begin"))
                .toList();
    }

    private List<String> plannedTableStatements() {
        // background work (receipt pruning, a readiness probe) touches no planned table
        return StatementCountingDatabase.executed().stream()
                .filter(sql -> plan.tableNames().stream().anyMatch(sql::contains))
                .toList();
    }

    /** The statements touching a planned table that one check of these ids sent; it finds {@code found} tenants. */
    private List<String> statementsOf(List<?> ids, int found) {
        StatementCountingDatabase.forget();
        String body = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"tenant_ids\":[", "]}"));
        int answered = given().header("Authorization", "Bearer " + TestTokens.service()).contentType("application/json").body(body)
                .post(basePath + "/tenants/deletion-check").then().statusCode(200).extract().jsonPath().getMap("tenants").size();
        assertEquals(found, answered);
        return plannedTableStatements();
    }
}
