package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.testing.BoundedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared bounded suite on partitioned tables; shares the application start of PartsContractTest. */
@QuarkusTest
@TestProfile(SchemaProfile.Parts.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsBoundedTest extends BoundedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }
}
