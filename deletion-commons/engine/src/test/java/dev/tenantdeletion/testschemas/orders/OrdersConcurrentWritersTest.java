package dev.tenantdeletion.testschemas.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The fast path (triggers off, set-based checks) under concurrent writers: while a tenant is deleted, writers insert
 * orders under its customers, items (an ON DELETE CASCADE child) under its orders, and items under another tenant's
 * orders. Many rounds, one transaction and batches: afterwards no foreign key anywhere has a dangling reference (a
 * full anti-join per key), an untouched neighbour's checksums are unchanged, the written-to neighbour has exactly its
 * seed plus the writers' committed rows, and the tenant is empty or the call failed cleanly (a retryable 500) or, with a
 * budget (2 s: a writer that never stops keeps every batch non-empty), answered complete=false.
 */
@QuarkusTest
@TestProfile(SchemaProfile.Orders.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersConcurrentWritersTest extends ServiceTestSupport {

    private static final int ROUNDS = 10;

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }

    @Test
    void writersNeverLeaveADanglingReference() throws Exception {
        UUID quiet = seededTenant(300);
        Map<String, String> quietBefore = checksums(quiet);
        int completed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            UUID tenant = seededTenant(600);
            UUID busy = seededTenant(300);
            long busyItemsBefore = counts(busy).get("order_items");
            List<UUID> customers = ids("select id from customers where tenant_id = ?", tenant);
            List<UUID> orders = ids("select id from orders where tenant_id = ?", tenant);
            List<UUID> busyOrders = ids("select id from orders where tenant_id = ?", busy);
            AtomicBoolean stop = new AtomicBoolean();
            // the tenant's own writers stop after a while that grows with the round, so some calls outlast them
            AtomicBoolean stopOwn = new AtomicBoolean();
            long ownWritersMs = 40L * round;
            ExecutorService writers = Executors.newFixedThreadPool(4);
            try {
                Future<Long> ownOrders = writers.submit(() -> write("""
                        insert into orders (id, tenant_id, customer_id, order_number) values (gen_random_uuid(), ?, ?, 'late')""",
                        tenant, customers, stopOwn));
                Future<Long> ownItems = writers.submit(() -> write("""
                        insert into order_items (id, order_id, product_name, quantity, unit_price)
                        values (gen_random_uuid(), ?, 'late', 1, 1)""", null, orders, stopOwn));
                writers.submit(() -> {
                    Thread.sleep(ownWritersMs);
                    stopOwn.set(true);
                    return null;
                });
                Future<Long> busyItems = writers.submit(() -> write("""
                        insert into order_items (id, order_id, product_name, quantity, unit_price)
                        values (gen_random_uuid(), ?, 'neighbour', 1, 1)""", null, busyOrders, stop));
                Thread.sleep(20);
                Response response = round % 2 == 0 ? delete(null, null, tenant) : delete(null, "2000", tenant);
                stop.set(true);
                stopOwn.set(true);
                ownOrders.get();
                ownItems.get();
                long busyWritten = busyItems.get();
                int status = response.statusCode();
                assertTrue(status == 200 || status == 500, "round " + round + ": " + response.asString());
                if (status == 200 && Boolean.TRUE.equals(response.path("summary.complete"))) {
                    completed++;
                    assertEquals(0L, TestDb.total(counts(tenant)), "round " + round + ": the tenant is not empty");
                } else if (status == 500) {
                    assertEquals("deletion_failed", response.path("error"), response.asString());
                }
                assertEquals(busyItemsBefore + busyWritten, counts(busy).get("order_items"), "round " + round);
                assertNoDanglingReference();
            } finally {
                stop.set(true);
                writers.shutdownNow();
            }
        }
        assertEquals(quietBefore, checksums(quiet));
        assertTrue(completed > 0, "no round completed");
    }

    /** Inserts until stopped, each row referencing a random parent; returns how many committed (failures are expected). */
    private static long write(String insert, UUID tenant, List<UUID> parents, AtomicBoolean stop) throws SQLException {
        long committed = 0;
        try (Connection db = TestDb.connect(); PreparedStatement statement = db.prepareStatement(insert)) {
            while (!stop.get()) {
                int i = 1;
                if (tenant != null) {
                    statement.setObject(i++, tenant);
                }
                statement.setObject(i, parents.get(ThreadLocalRandom.current().nextInt(parents.size())));
                try {
                    committed += statement.executeUpdate();
                } catch (SQLException e) {
                    if (!"23503".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
        return committed;
    }

    private static List<UUID> ids(String sql, UUID tenant) throws SQLException {
        try (Connection db = TestDb.connect(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setObject(1, tenant);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** For every foreign key of the schema: no row references a row that does not exist. */
    private static void assertNoDanglingReference() throws SQLException {
        try (Connection db = TestDb.connect(); Statement statement = db.createStatement()) {
            List<String> checks = new ArrayList<>();
            try (ResultSet keys = statement.executeQuery("""
                    select format('select %L, count(*) from %I c where c.%I is not null and not exists (select 1 from %I p where p.%I = c.%I)',
                                  con.conname, child.relname, ca.attname, parent.relname, pa.attname, ca.attname)
                      from pg_constraint con
                      join pg_class child on child.oid = con.conrelid join pg_class parent on parent.oid = con.confrelid
                      join pg_attribute ca on ca.attrelid = con.conrelid and ca.attnum = con.conkey[1]
                      join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
                     where con.contype = 'f' and child.relnamespace = 'public'::regnamespace""")) {
                while (keys.next()) {
                    checks.add(keys.getString(1));
                }
            }
            assertTrue(checks.size() >= 3, checks.toString());
            for (String check : checks) {
                try (ResultSet dangling = statement.executeQuery(check)) {
                    dangling.next();
                    assertEquals(0L, dangling.getLong(2), "dangling references through " + dangling.getString(1));
                }
            }
        }
    }
}
