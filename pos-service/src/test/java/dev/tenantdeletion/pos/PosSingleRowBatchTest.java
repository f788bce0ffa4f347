package dev.tenantdeletion.pos;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.SingleRowBatchProfile;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 20,000 batches in one call, on the production thread stack size (surefire runs this module with -Xss256k,
 * as deploy/jvm/java-options does): the batched loop must not grow the stack per batch (review finding 5a).
 */
@QuarkusTest
@TestProfile(SingleRowBatchProfile.class)
@WithTestResource(PostgresTestDatabase.class)
class PosSingleRowBatchTest extends ServiceTestSupport {

    private static final int ROWS = 20_000;

    @Override
    protected TenantSeeder seeder() {
        return new PosSeeder();
    }

    @Test
    void twentyThousandBatchesInOneCall() {
        UUID tenant = UUID.randomUUID();
        UUID neighbour = seededTenant(60);
        var before = checksums(neighbour);
        TestDb.execute("insert into pos_configurations (id, tenant_id, provider, name)"
                + " select gen_random_uuid(), '" + tenant + "', 'square', 'register ' || g from generate_series(1, " + ROWS + ") g");
        Response response = delete("single-rows-" + UUID.randomUUID(), null, tenant);
        response.then().statusCode(200)
                .body("summary.complete", equalTo(true))
                .body("summary.deleted_counts.pos_configurations", equalTo(ROWS))
                .body("summary.total_deleted", equalTo(ROWS));
        assertEquals(0L, TestDb.total(counts(tenant)));
        assertEquals(before, checksums(neighbour));
    }
}
