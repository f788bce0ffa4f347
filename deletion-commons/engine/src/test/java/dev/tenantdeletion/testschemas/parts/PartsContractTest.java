package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared contract on partitioned tables (big tenants' events in partitions of their own). */
@QuarkusTest
@TestProfile(SchemaProfile.Parts.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }
}
