package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.testing.BoundedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared bounded suite on partitioned tables with deletion.fk-checks=triggers. */
@QuarkusTest
@TestProfile(SchemaProfile.PartsTriggers.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsTriggerModeBoundedTest extends BoundedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }
}
