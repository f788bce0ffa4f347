package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What every service test needs: its plan, its base path, its seeder, and calls to the two endpoints. */
public abstract class ServiceTestSupport {

    @Inject
    protected DeletionPlan plan;

    @ConfigProperty(name = "quarkus.rest.path")
    protected String basePath;

    @ConfigProperty(name = "quarkus.application.name")
    protected String serviceName;

    /** The service's seeder of FK-consistent rows. */
    protected abstract TenantSeeder seeder();

    protected List<String> tables() {
        return plan.tableNames();
    }

    protected UUID seededTenant(int rows) {
        UUID tenant = UUID.randomUUID();
        seed(tenant, rows);
        return tenant;
    }

    protected void seed(UUID tenant, int rows) {
        try (Connection db = TestDb.connect()) {
            seeder().seed(db, tenant, rows);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of the tenant per planned table; for a table reached through a parent, the rows under the tenant's. */
    protected Map<String, Long> counts(UUID tenant) {
        return PlannedRows.counts(plan, tenant);
    }

    /** Per planned table, a fingerprint of the tenant's rows (through the path where there is one). */
    protected Map<String, String> checksums(UUID tenant) {
        return PlannedRows.checksums(plan, tenant);
    }

    protected Map<UUID, Map<String, String>> checksums(List<UUID> tenants) {
        Map<UUID, Map<String, String>> sums = new LinkedHashMap<>();
        tenants.forEach(tenant -> sums.put(tenant, checksums(tenant)));
        return sums;
    }

    protected Response preview(String token, String tenantPathSegment) {
        return request(token).get(basePath + "/tenant/" + tenantPathSegment + "/deletion-preview");
    }

    protected Response export(String token, String tenantPathSegment) {
        return request(token).get(basePath + "/tenant/" + tenantPathSegment + "/export");
    }

    protected Response delete(String token, String tenantPathSegment) {
        return request(token).delete(basePath + "/tenant/" + tenantPathSegment);
    }

    /** DELETE with an Idempotency-Key (null: none) and a max_duration_ms budget (null: none), as the orchestrator sends it. */
    protected Response delete(String key, String budgetMillis, UUID tenant) {
        var spec = request(TestTokens.service());
        if (key != null) {
            spec = spec.header("Idempotency-Key", key);
        }
        if (budgetMillis != null) {
            spec = spec.queryParam("max_duration_ms", budgetMillis);
        }
        return spec.delete(basePath + "/tenant/" + tenant);
    }

    /**
     * A row of another tenant references the tenant's rows, and the deletion runs in batches: 409, and the
     * answer counts exactly what earlier committed batches removed (under the key: the receipt says the same);
     * once the other tenant is gone, the same key finishes the work and answers the full totals.
     */
    protected void assertConflictCountsCommittedBatches(String budgetMillis) throws SQLException {
        UUID tenant = seededTenant(60);
        UUID other = seededTenant(60);
        Map<String, Long> seeded = counts(tenant);
        String referencingTable;
        try (Connection db = TestDb.connect()) {
            referencingTable = seeder().referenceAcrossTenants(db, tenant, other);
        }
        Map<String, String> otherBefore = checksums(other);
        String key = "conflict-" + UUID.randomUUID();

        Response conflict = delete(key, budgetMillis, tenant);
        conflict.then().statusCode(409)
                .body("error", equalTo("foreign_key_conflict"))
                .body("message", containsString("foreign key conflict"))
                .body("message", containsString(referencingTable))
                // nothing of whose rows they are: the tenant's admin reads this message through the job
                .body("message", not(containsString("another tenant")))
                .body("summary.success", equalTo(false))
                .body("summary.complete", equalTo(false));
        Map<String, Long> reported = longs(conflict, "summary.deleted_counts");
        Map<String, Long> left = counts(tenant);
        assertTrue(TestDb.total(reported) > 0, "children before the referenced table go in committed batches: " + reported);
        for (String table : tables()) {
            assertEquals(seeded.get(table) - left.get(table), reported.get(table),
                    table + ": the 409 counts exactly the committed batches");
        }
        assertEquals(otherBefore, checksums(other), "the other tenant is untouched");

        // the other tenant leaves first; the same key then finishes and answers the totals of both calls
        delete(TestTokens.service(), other).then().statusCode(200);
        Response done = delete(key, budgetMillis, tenant);
        done.then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(seeded, longs(done, "summary.deleted_counts"));
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    protected Response preview(String token, UUID tenant) {
        return preview(token, tenant.toString());
    }

    protected Response delete(String token, UUID tenant) {
        return delete(token, tenant.toString());
    }

    /** Path segments are sent exactly as given (already URL-encoded where needed). */
    protected static io.restassured.specification.RequestSpecification request(String token) {
        var spec = given().urlEncodingEnabled(false);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    /** Counts from a JSON object in a response, as longs. */
    protected static Map<String, Long> longs(Response response, String path) {
        Map<String, Object> raw = response.jsonPath().getMap(path);
        Map<String, Long> counts = new LinkedHashMap<>();
        raw.forEach((key, value) -> counts.put(key, ((Number) value).longValue()));
        return counts;
    }
}
