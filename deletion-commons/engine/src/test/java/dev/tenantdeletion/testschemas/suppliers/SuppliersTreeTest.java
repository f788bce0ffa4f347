package dev.tenantdeletion.testschemas.suppliers;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.BatchedModeProfile;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The category tree in batched mode (batches of 7): a batch takes only leaves, so no batch deletes a category
 * another of the tenant's categories still references; a cycle goes in one statement; another tenant's category
 * under one of ours is a checked conflict. Shares the application start of SuppliersBatchedTest.
 */
@QuarkusTest
@TestProfile(SchemaProfile.SuppliersBatched.class)
@WithTestResource(PostgresTestDatabase.class)
class SuppliersTreeTest extends ServiceTestSupport {

    @Override
    protected TenantSeeder seeder() {
        return new SuppliersSeeder();
    }

    @Test
    void aDeepTreeGoesLeavesFirstInBatches() {
        UUID tenant = seededTenant(2_000); // 100 categories, 7 levels deep
        UUID neighbour = seededTenant(2_000);
        Map<String, String> neighbourBefore = checksums(neighbour);
        Map<String, Long> seeded = counts(tenant);
        assertTrue(seeded.get("supplier_categories") > 10L * BatchedModeProfile.BATCH_SIZE, seeded.toString());
        Response response = delete(TestTokens.service(), tenant);
        response.then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(seeded, longs(response, "summary.deleted_counts"));
        assertEquals(0L, TestDb.total(counts(tenant)));
        assertEquals(neighbourBefore, checksums(neighbour));
    }

    @Test
    void aCycleOfCategoriesIsDeleted() {
        UUID tenant = UUID.randomUUID();
        TestDb.execute("insert into supplier_categories (id, tenant_id, name) values"
                        + " (md5('" + tenant + "a')::uuid, '" + tenant + "', 'a'), (md5('" + tenant + "b')::uuid, '" + tenant + "', 'b'),"
                        + " (md5('" + tenant + "c')::uuid, '" + tenant + "', 'self')",
                "update supplier_categories set parent_id = case name when 'a' then md5('" + tenant + "b')::uuid when 'b' then md5('"
                        + tenant + "a')::uuid else id end where tenant_id = '" + tenant + "'");
        delete(TestTokens.service(), tenant).then().statusCode(200)
                .body("summary.complete", equalTo(true))
                .body("summary.deleted_counts.supplier_categories", equalTo(3));
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    @Test
    void anotherTenantsCategoryUnderOursIsAConflict() {
        UUID tenant = seededTenant(200);
        UUID other = seededTenant(200);
        TestDb.execute("insert into supplier_categories (id, tenant_id, parent_id, name) select gen_random_uuid(), '" + other
                + "', id, 'borrowed' from supplier_categories where tenant_id = '" + tenant + "' and parent_id is null");
        Map<String, String> otherBefore = checksums(other);
        delete(TestTokens.service(), tenant).then().statusCode(409)
                .body("error", equalTo("foreign_key_conflict"))
                .body("message", containsString("supplier_categories"));
        assertEquals(otherBefore, checksums(other));
        delete(TestTokens.service(), other).then().statusCode(200);
        delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(0L, TestDb.total(counts(tenant)));
    }
}
