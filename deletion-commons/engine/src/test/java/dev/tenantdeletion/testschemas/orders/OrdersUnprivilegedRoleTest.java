package dev.tenantdeletion.testschemas.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.testing.HealthChecks;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The service connected as a role that is not a superuser: trigger mode until the role is granted SET on
 * session_replication_role (PostgreSQL 15+), then the fast path, deleting exactly either way.
 */
@QuarkusTest
@TestProfile(SchemaProfile.Orders.class)
@WithTestResource(OrdersUnprivilegedRoleTest.UnprivilegedDatabase.class)
class OrdersUnprivilegedRoleTest extends ServiceTestSupport {

    private static final String MODE = "checks.find { it.name == 'deletion-plan-coverage' }.data.'fk-checks'";
    private static final String REASON = "checks.find { it.name == 'deletion-plan-coverage' }.data.'fk-checks-reason'";

    /** The test database, owned by a fresh login role without superuser, which the service connects as. */
    public static class UnprivilegedDatabase extends PostgresTestDatabase {

        static final String ROLE_PROPERTY = "tenant-deletion-test.role";
        private String role;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            String database = System.getProperty(DATABASE_PROPERTY);
            role = "deletion_test_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
            System.setProperty(ROLE_PROPERTY, role);
            admin("create role " + role + " login nosuperuser", "alter database " + database + " owner to " + role);
            try (Connection db = TestDb.server().connect(database); Statement statement = db.createStatement()) {
                statement.execute("alter schema public owner to " + role);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            config.put("quarkus.datasource.username", role);
            config.remove("quarkus.datasource.password");
            return config;
        }

        @Override
        public void stop() {
            super.stop();
            if (role != null) {
                admin("revoke set on parameter session_replication_role from " + role, "drop role if exists " + role);
            }
        }

        static void admin(String... statements) {
            try (Connection admin = TestDb.server().connectAdmin(); Statement statement = admin.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }

    /** Ready; its details (service token) are what the test reads. */
    private io.restassured.response.ValidatableResponse readiness() {
        given().get("/q/health/ready").then().statusCode(200);
        return HealthChecks.details(basePath).then();
    }

    @Test
    void withoutThePrivilegeTriggersThenWithTheGrantFast() {
        String role = System.getProperty(UnprivilegedDatabase.ROLE_PROPERTY);
        readiness().body(MODE, equalTo("triggers"))
                .body(REASON, containsString("may not set session_replication_role"));
        UUID tenant = seededTenant(60);
        UUID other = seededTenant(60);
        Map<String, String> otherBefore = checksums(other);
        delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(0L, TestDb.total(counts(tenant)));

        UnprivilegedDatabase.admin("grant set on parameter session_replication_role to " + role);
        readiness().body(MODE, equalTo("fast")).body(REASON, nullValue());
        UUID second = seededTenant(60);
        Map<String, Long> seeded = counts(second);
        delete(TestTokens.service(), second).then().statusCode(200).body("summary.complete", equalTo(true))
                .body("summary.total_deleted", equalTo((int) TestDb.total(seeded)));
        assertEquals(0L, TestDb.total(counts(second)));
        assertEquals(otherBefore, checksums(other));
    }
}
