package dev.tenantdeletion.testschemas.parts;

import static dev.tenantdeletion.testing.LockWaits.awaitWaiting;
import static dev.tenantdeletion.testing.LockWaits.count;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ATTACH PARTITION does not wait for the planned tables' ROW EXCLUSIVE locks when the partitioned table has no default
 * partition and no foreign key into a planned table (with either it waits: an ACCESS EXCLUSIVE lock on the default
 * partition, a SHARE ROW EXCLUSIVE lock on the referenced table). A partition attached so during a fast transaction,
 * before that transaction's DELETE of the table starts, would have its triggers silenced by that DELETE: the
 * transaction's check before commit sees the catalog changed, rolls back, and runs again with the triggers.
 *
 * <p>The schema is changed for this (its own database, {@link SchemaProfile.PartsAltered}): events without its default
 * partition and without its foreign key to accounts. The deletion is paused by row locks on the tenant's invoices, which a one-transaction DELETE locks
 * before it deletes anything.
 */
@QuarkusTest
@TestProfile(SchemaProfile.PartsAltered.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsAttachDuringDeletionTest extends ServiceTestSupport {

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }

    @Test
    void aPartitionAttachedDuringAFastTransactionHasItsTriggersFire() throws Exception {
        UUID tenant = seededTenant(40);
        TestDb.execute("alter table events detach partition events_default", "drop table events_default",
                "alter table events drop constraint events_account_id_fkey",
                "create schema attach_test",
                "create table attach_test.audit (event_id uuid)",
                """
                create function attach_test.audit() returns trigger language plpgsql as $$
                begin insert into attach_test.audit values (old.id); return old; end $$""",
                "create table attach_test.events_tenant (like events including defaults)",
                "insert into attach_test.events_tenant (id, tenant_id, kind) select gen_random_uuid(), '" + tenant
                        + "', 'attached' from generate_series(1, 7)",
                "create trigger audit after delete on attach_test.events_tenant for each row execute function attach_test.audit()");
        long invoices = counts(tenant).get("invoices");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = TestDb.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("select count(*) from (select 1 from invoices where tenant_id = ? for update) l")) {
                lock.setObject(1, tenant);
                lock.executeQuery().close();
            }
            Future<Response> call = threads.submit(() -> delete(TestTokens.service(), tenant));
            awaitWaiting("select count(*) from (select 1 from invoices");
            Future<?> attach = threads.submit(() -> {
                try (Connection ddl = TestDb.connect(); Statement statement = ddl.createStatement()) {
                    statement.execute("alter table events attach partition attach_test.events_tenant for values in ('" + tenant + "')");
                }
                return null;
            });
            attach.get(10, TimeUnit.SECONDS); // not waiting for the deletion: that is the case under test
            holder.rollback();
            call.get(120, TimeUnit.SECONDS).then().statusCode(200).body("summary.complete", equalTo(true))
                    .body("summary.deleted_counts.invoices", equalTo((int) invoices));
        } finally {
            threads.shutdownNow();
        }
        long left = count("select count(*) from attach_test.events_tenant");
        long audited = count("select count(*) from attach_test.audit");
        assertTrue(left == 7 || audited == 7, "the attached partition's rows were deleted (" + (7 - left)
                + " of 7) while its trigger fired for " + audited);
        assertEquals(0L, left, "the call said complete");
    }
}
