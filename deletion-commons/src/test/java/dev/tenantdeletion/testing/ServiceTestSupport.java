package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;

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

    protected Map<String, Long> counts(UUID tenant) {
        return TestDb.counts(tables(), tenant);
    }

    protected Map<String, String> checksums(UUID tenant) {
        return TestDb.checksums(tables(), tenant);
    }

    protected Map<UUID, Map<String, String>> checksums(List<UUID> tenants) {
        Map<UUID, Map<String, String>> sums = new LinkedHashMap<>();
        tenants.forEach(tenant -> sums.put(tenant, checksums(tenant)));
        return sums;
    }

    protected Response preview(String token, String tenantPathSegment) {
        return request(token).get(basePath + "/tenant/" + tenantPathSegment + "/deletion-preview");
    }

    protected Response delete(String token, String tenantPathSegment) {
        return request(token).delete(basePath + "/tenant/" + tenantPathSegment);
    }

    protected Response preview(String token, UUID tenant) {
        return preview(token, tenant.toString());
    }

    protected Response delete(String token, UUID tenant) {
        return delete(token, tenant.toString());
    }

    /** Path segments are sent exactly as given (already URL-encoded where needed). */
    private static io.restassured.specification.RequestSpecification request(String token) {
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
