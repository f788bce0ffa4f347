package dev.tenantdeletion.testschemas.orders;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A tenant whose application keeps writing cannot keep a batched call without a budget running for ever (review
 * 2026-12-04, finding 7): with writers that outpace 50-row batches, the call stops at deletion.max-call-duration
 * (2 s here) and answers 200 complete=false while they still write. Before the bound, the drain of the table never
 * saw an empty batch and the call did not answer.
 */
@QuarkusTest
@TestProfile(OrdersWritingTenantTest.Profile.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersWritingTenantTest extends ServiceTestSupport {

    /** The orders schema in batches of 50, calls without a budget bounded at 2 s. */
    public static class Profile extends SchemaProfile {
        public Profile() {
            super("orders", 50, "auto");
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("deletion.max-call-duration", "2s");
            return config;
        }
    }

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }

    @Test
    void aBatchedCallWithoutBudgetStopsAtTheBoundWhileTheTenantKeepsWriting() throws Exception {
        UUID tenant = seededTenant(300);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                // thousands of customers per statement, until told to stop (or 60 s: the test never runs open-ended)
                writers.submit(() -> {
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    try (Connection db = TestDb.connect(); PreparedStatement insert = db.prepareStatement("""
                            insert into customers (id, tenant_id, name) select gen_random_uuid(), ?, 'writer ' || g
                            from generate_series(1, 2000) g""")) {
                        insert.setObject(1, tenant);
                        while (!stop.get() && System.nanoTime() < until) {
                            insert.executeUpdate();
                        }
                    }
                    return null;
                });
            }
            Future<Response> call = Executors.newSingleThreadExecutor().submit(() -> delete(TestTokens.service(), tenant));
            Response response = call.get(50, TimeUnit.SECONDS);
            boolean writersStillWriting = !stop.get();
            response.then().statusCode(200).body("summary.success", equalTo(true)).body("summary.complete", equalTo(false));
            assertTrue(writersStillWriting, "the call answered while the tenant was still writing");
            assertTrue(response.jsonPath().getLong("summary.duration_ms") < 30_000, response.asString());
            assertFalse(counts(tenant).get("customers") == 0, "rows remain: complete=false is true");
        } finally {
            stop.set(true);
            writers.shutdown();
            writers.awaitTermination(70, TimeUnit.SECONDS);
        }
        // the writers' rows go set-based (calls of 50-row batches would only cost test time)
        TestDb.execute("delete from customers where tenant_id = '" + tenant + "'");
    }
}
