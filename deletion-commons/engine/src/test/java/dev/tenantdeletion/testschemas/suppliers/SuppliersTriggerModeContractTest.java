package dev.tenantdeletion.testschemas.suppliers;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared DeletionContractSuite with deletion.fk-checks=triggers: PostgreSQL's per-row RI triggers instead of the set-based checks. */
@QuarkusTest
@TestProfile(SchemaProfile.SuppliersTriggers.class)
@WithTestResource(PostgresTestDatabase.class)
class SuppliersTriggerModeContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new SuppliersSeeder();
    }

    @Override
    protected String expectedForeignKeyChecks() {
        return "triggers";
    }
}
