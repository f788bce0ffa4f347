package dev.tenantdeletion.testschemas.suppliers;

import dev.tenantdeletion.testing.BatchedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared BatchedDeletionSuite with deletion.fk-checks=triggers: PostgreSQL's per-row RI triggers instead of the set-based checks. */
@QuarkusTest
@TestProfile(SchemaProfile.SuppliersBatchedTriggers.class)
@WithTestResource(PostgresTestDatabase.class)
class SuppliersTriggerModeBatchedTest extends BatchedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new SuppliersSeeder();
    }
}
