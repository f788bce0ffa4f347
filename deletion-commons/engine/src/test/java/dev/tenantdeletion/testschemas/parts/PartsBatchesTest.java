package dev.tenantdeletion.testschemas.parts;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.BatchedModeProfile;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.restassured.response.Response;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Partitioned tables in batches of 7: no batch deletes more than 7 rows (a ctid is unique only within a partition),
 * another tenant's row of a path table with a tenant_id is a conflict, a big tenant's own partition is one batch.
 * Shares the application start of PartsBatchedTest.
 */
@QuarkusTest
@TestProfile(SchemaProfile.PartsBatched.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsBatchesTest extends ServiceTestSupport {

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }

    /**
     * Finding 6b of the 2026-12-04 review: with the lines of only this tenant, each range partition holds its rows from
     * ctid (0,1) on, so a batch by ctid alone deleted the rows at the 7 chosen ctids in all three partitions (21).
     */
    @Test
    void noBatchOfAPartitionedTableDeletesMoreThanTheBatchSize() throws SQLException {
        TestDb.execute("truncate invoice_lines", "create table parts_test_statements (n bigint)",
                "create function parts_test_statements() returns trigger language plpgsql as $$ begin"
                        + " insert into parts_test_statements select count(*) from gone; return null; end $$",
                "create trigger parts_test_statements after delete on invoice_lines referencing old table as gone"
                        + " for each statement execute function parts_test_statements()");
        try {
            UUID tenant = seededTenant(400); // 133 lines: 9, 90 and 34 in the three range partitions
            Map<String, Long> seeded = counts(tenant);
            Response response = delete(TestTokens.service(), tenant);
            response.then().statusCode(200).body("summary.complete", equalTo(true));
            assertEquals(seeded, longs(response, "summary.deleted_counts"));
            assertEquals(0L, TestDb.total(counts(tenant)));
            long largest = PartsWholePartitionTest.count("select max(n) from parts_test_statements");
            assertTrue(largest <= BatchedModeProfile.BATCH_SIZE, "a batch deleted " + largest + " rows");
            assertEquals(seeded.get("invoice_lines"), PartsWholePartitionTest.count("select sum(n) from parts_test_statements"));
        } finally {
            TestDb.execute("drop table parts_test_statements cascade", "drop trigger parts_test_statements on invoice_lines",
                    "drop function parts_test_statements()");
        }
    }

    /** Finding 9 in batches: the parent's batch deletes only this tenant's lines under it, then meets the other's: 409. */
    @Test
    void anotherTenantsRowInAPathTableWithATenantIdIsAConflict() {
        UUID tenant = seededTenant(60);
        UUID other = seededTenant(60);
        TestDb.execute("insert into invoice_lines (id, tenant_id, invoice_id, line_no, amount) select gen_random_uuid(), '" + other
                + "', id, 1, 1 from invoices where tenant_id = '" + tenant + "' limit 1");
        Map<String, String> otherBefore = checksums(other);
        delete(TestTokens.service(), tenant).then().statusCode(409)
                .body("error", equalTo("foreign_key_conflict"))
                .body("message", containsString("invoice_lines"));
        assertEquals(otherBefore, checksums(other), "the other tenant's line is still there");
        delete(TestTokens.service(), other).then().statusCode(200);
        delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    @Test
    void aBigTenantsOwnPartitionIsOneBatch() {
        UUID whale = seededTenant(1_000);
        UUID neighbour = seededTenant(1_000);
        Map<String, String> before = checksums(neighbour);
        Map<String, Long> seeded = counts(whale);
        assertTrue(seeded.get("events") > 40 * BatchedModeProfile.BATCH_SIZE, seeded.toString());
        Response response = delete("whale-" + UUID.randomUUID(), "60000", whale);
        response.then().statusCode(200).body("summary.complete", equalTo(true));
        assertEquals(seeded, longs(response, "summary.deleted_counts"));
        assertFalse(PartsWholePartitionTest.exists(PartsSeeder.ownPartition(whale)));
        assertEquals(before, checksums(neighbour));
    }
}
