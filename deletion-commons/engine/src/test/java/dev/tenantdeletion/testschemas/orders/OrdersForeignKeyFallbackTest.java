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
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With fk-checks=auto the fast path falls back to the triggers while it would not be exactly as safe, and says why. */
@QuarkusTest
@TestProfile(SchemaProfile.Orders.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersForeignKeyFallbackTest extends ServiceTestSupport {

    private static final String MODE = "checks.find { it.name == 'deletion-plan-coverage' }.data.'fk-checks'";
    private static final String REASON = "checks.find { it.name == 'deletion-plan-coverage' }.data.'fk-checks-reason'";

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }

    /** Readiness answers {@code status}; its details (service token) are what the test reads. */
    private ValidatableResponse readiness(int status) {
        given().get("/q/health/ready").then().statusCode(status);
        return HealthChecks.details(basePath).then();
    }

    @Test
    void userTriggerOnAPlannedTableMeansTriggerMode() {
        readiness(200).body(MODE, equalTo("fast")).body(REASON, nullValue());
        TestDb.execute("""
                create function deletion_test_audit() returns trigger language plpgsql as $$ begin return null; end $$;
                create trigger deletion_test_audit after delete on order_items for each row execute function deletion_test_audit();
                """);
        try {
            readiness(200).body(MODE, equalTo("triggers"))
                    .body(REASON, containsString("order_items.deletion_test_audit"));
            UUID tenant = seededTenant(60);
            delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
            assertEquals(0L, TestDb.total(counts(tenant)));
        } finally {
            TestDb.execute("drop trigger deletion_test_audit on order_items; drop function deletion_test_audit()");
        }
        readiness(200).body(MODE, equalTo("fast"));
    }

    @Test
    void cascadeChildNotPlannedMeansTriggerModeAndNotReady() {
        TestDb.execute("create table deletion_test_notes (id uuid primary key, order_id uuid references orders (id) on delete cascade)");
        try {
            readiness(503).body(MODE, equalTo("triggers"))
                    .body(REASON, containsString("table deletion_test_notes has an ON DELETE action"));
        } finally {
            TestDb.execute("drop table deletion_test_notes");
        }
        readiness(200).body(MODE, equalTo("fast"));
    }
}
