package dev.tenantdeletion.testschemas.orders;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTriggers;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing depends on ON DELETE CASCADE: a child written for one of the tenant's orders while the deletion runs
 * can neither be cascaded away uncounted nor survive. The orders' rows are locked before their children are
 * deleted, so the writer waits and then fails on the foreign key; the counts are exactly what was there.
 */
@QuarkusTest
@TestProfile(SchemaProfile.Orders.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersCascadeTest extends ServiceTestSupport {

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }

    @Test
    void aChildWrittenDuringTheDeletionWaitsAndFailsInsteadOfVanishingUncounted() throws Exception {
        for (String budget : new String[] {null, "60000"}) {
            String mode = budget == null ? "one transaction" : "batched";
            UUID tenant = seededTenant(60);
            Map<String, Long> expected = counts(tenant);
            String orderId = single("select id::text from orders where tenant_id = '" + tenant + "' limit 1");
            long gate = 0x7e57_0000_0000_0002L;
            Response response;
            CompletableFuture<SQLException> writer;
            try (Connection holder = TestDb.connect(); Statement lock = holder.createStatement()) {
                lock.execute("select pg_advisory_lock(" + gate + ")");
                TestDb.execute(TestTriggers.waitForLock("orders", gate));
                CompletableFuture<Response> call = CompletableFuture.supplyAsync(() -> delete("cascade-" + UUID.randomUUID(), budget, tenant));
                awaitAdvisoryWaiter(gate);
                // the tenant's application adds an item to an order whose items are already gone
                writer = CompletableFuture.supplyAsync(() -> {
                    try (Connection db = TestDb.connect(); Statement sql = db.createStatement()) {
                        sql.execute("insert into order_items (id, order_id, product_name, quantity, unit_price)"
                                + " values (gen_random_uuid(), '" + orderId + "', 'late item', 1, 1)");
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                });
                Thread.sleep(500);
                assertFalse(writer.isDone(), mode + ": the writer waits on the locked order");
                lock.execute("select pg_advisory_unlock(" + gate + ")");
                response = call.get(30, TimeUnit.SECONDS);
            } finally {
                TestDb.execute(TestTriggers.dropAll("orders"));
            }
            assertEquals(200, response.statusCode(), mode + ": " + response.asString());
            response.then().body("summary.complete", equalTo(true));
            assertEquals(expected, longs(response, "summary.deleted_counts"), mode + ": exactly the rows that were there");
            SQLException failure = writer.get(10, TimeUnit.SECONDS);
            assertTrue(failure != null && "23503".equals(failure.getSQLState()),
                    mode + ": the late item fails on its foreign key once the order is gone: " + failure);
            assertEquals(0L, TestDb.total(counts(tenant)), mode);
        }
    }

    private static String single(String query) throws SQLException {
        try (Connection db = TestDb.connect(); Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void awaitAdvisoryWaiter(long key) throws Exception {
        String sql = "select count(*) from pg_locks where locktype = 'advisory' and not granted and objsubid = 1"
                + " and classid = " + (key >>> 32) + " and objid = " + (key & 0xffffffffL);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Long.parseLong(single(sql)) > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the deletion never reached the orders");
    }
}
