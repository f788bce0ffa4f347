package dev.tenantdeletion.testschemas.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.tenantdeletion.testing.LockWaits.awaitDoneOrWaiting;
import static dev.tenantdeletion.testing.LockWaits.awaitWaiting;
import static dev.tenantdeletion.testing.LockWaits.count;

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
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With fk-checks=auto the fast path falls back to the triggers while it would not be exactly as safe, and says why;
 * and DDL that runs while a deletion does (a rolling deploy's migration) is never bypassed: the triggers are off only
 * under the planned tables' locks, on a catalog checked under them (review 2026-12-04, findings 3 and 5).
 *
 * <p>The concurrent cases pause the deletion deterministically: a second connection holds row locks on the tenant's
 * order_items, so the call's DELETE of them waits (within deletion.lock-wait, 2 s here) after its transaction has
 * begun; the DDL is issued then, and the rows are released once the DDL has finished or is seen waiting.
 */
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

    @Test
    void aRuleOnAPlannedTableMeansTriggerModeAndTheRuleRuns() {
        TestDb.execute("create table deletion_test_rule_audit (order_id uuid)",
                "create rule deletion_test_rule as on delete to orders do also insert into deletion_test_rule_audit values (old.id)");
        try {
            readiness(200).body(MODE, equalTo("triggers")).body(REASON, containsString("orders.deletion_test_rule"));
            UUID tenant = seededTenant(60);
            long orders = counts(tenant).get("orders");
            delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
            assertEquals(0L, TestDb.total(counts(tenant)));
            assertEquals(orders, count("select count(*) from deletion_test_rule_audit"), "the rule's DO ALSO ran for every order");
        } finally {
            TestDb.execute("drop rule deletion_test_rule on orders; drop table deletion_test_rule_audit");
        }
        readiness(200).body(MODE, equalTo("fast"));
    }

    /**
     * An audit trigger created on orders while a one-transaction DELETE is deleting the items: either it waits for the
     * deletion's commit (the orders are gone when it exists), or it existed before the orders went and fired for each.
     */
    @Test
    void aTriggerCreatedDuringATransactionWaitsForItOrFires() throws Exception {
        readiness(200).body(MODE, equalTo("fast"));
        UUID tenant = seededTenant(600);
        long orders = counts(tenant).get("orders");
        TestDb.execute("create table deletion_test_audit (order_id uuid)", """
                create function deletion_test_audit() returns trigger language plpgsql as $$
                begin insert into deletion_test_audit values (old.id); return old; end $$""");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = TestDb.connect()) {
            holder.setAutoCommit(false);
            lockItems(holder, tenant);
            Future<Response> call = threads.submit(() -> delete(TestTokens.service(), tenant));
            awaitWaiting("delete from order_items");
            Future<Long> ordersWhenCreated = threads.submit(() -> {
                try (Connection ddl = TestDb.connect(); Statement statement = ddl.createStatement()) {
                    statement.execute("create trigger deletion_test_audit after delete on orders for each row execute function deletion_test_audit()");
                    return count(ddl, "select count(*) from orders where tenant_id = '" + tenant + "'");
                }
            });
            awaitDoneOrWaiting(ordersWhenCreated, "create trigger");
            holder.rollback();
            call.get(120, TimeUnit.SECONDS).then().statusCode(200).body("summary.complete", equalTo(true))
                    .body("summary.deleted_counts.orders", equalTo((int) orders));
            long left = ordersWhenCreated.get(120, TimeUnit.SECONDS);
            long audited = count("select count(*) from deletion_test_audit");
            assertTrue(left == 0 || audited == orders, "the trigger existed while " + left + " orders of the tenant were still there, "
                    + "yet it fired for " + audited + " of " + orders);
            assertEquals(0L, TestDb.total(counts(tenant)));
        } finally {
            threads.shutdownNow();
            TestDb.execute("drop trigger if exists deletion_test_audit on orders; drop function deletion_test_audit(); drop table deletion_test_audit");
        }
        readiness(200).body(MODE, equalTo("fast"));
    }

    /**
     * A migration creates a table referencing orders, and a row of another tenant references one of the tenant's orders
     * through it, while a budgeted call drains the tenant's items: the call's later transactions see the new key (they
     * keep the triggers), the conflict is a 409 naming the table, and no row references a deleted order after commit.
     */
    @Test
    void aForeignKeyCreatedWhileABudgetedCallDrainsTheChildrenIsEnforced() throws Exception {
        readiness(200).body(MODE, equalTo("fast"));
        UUID tenant = seededTenant(20_000);
        UUID other = UUID.randomUUID();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = TestDb.connect()) {
            holder.setAutoCommit(false);
            lockItems(holder, tenant);
            Future<Response> call = threads.submit(() -> delete("ddl-" + UUID.randomUUID(), "60000", tenant));
            awaitWaiting("delete from order_items");
            Future<Integer> referencing = threads.submit(() -> {
                try (Connection ddl = TestDb.connect()) {
                    ddl.setAutoCommit(false);
                    try (Statement statement = ddl.createStatement()) {
                        statement.execute("""
                                create table deletion_test_refs (id uuid primary key, tenant_id uuid not null,
                                                                 order_id uuid not null references orders (id))""");
                        int rows = statement.executeUpdate("insert into deletion_test_refs select gen_random_uuid(), '" + other
                                + "', id from orders where tenant_id = '" + tenant + "' limit 1");
                        ddl.commit();
                        return rows;
                    }
                }
            });
            awaitDoneOrWaiting(referencing, "create table deletion_test_refs");
            holder.rollback();
            Response response = call.get(120, TimeUnit.SECONDS);
            assertEquals(1, referencing.get(120, TimeUnit.SECONDS), "the other tenant's row was written");
            response.then().statusCode(409).body("error", equalTo("foreign_key_conflict"))
                    .body("message", containsString("deletion_test_refs"));
            assertEquals(0L, count("select count(*) from deletion_test_refs r where not exists (select 1 from orders o where o.id = r.order_id)"),
                    "a row references a deleted order");
        } finally {
            threads.shutdownNow();
            TestDb.execute("drop table if exists deletion_test_refs");
        }
        readiness(200).body(MODE, equalTo("fast"));
    }

    /** Row locks on the tenant's items, held by {@code holder}'s open transaction. */
    private static void lockItems(Connection holder, UUID tenant) throws SQLException {
        try (PreparedStatement lock = holder.prepareStatement(
                "select count(*) from (select 1 from order_items i join orders o on o.id = i.order_id where o.tenant_id = ? for update of i) l")) {
            lock.setObject(1, tenant);
            lock.executeQuery().close();
        }
    }
}
