package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.testing.BatchedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared batched suite on partitioned tables: batches by (tableoid, ctid), big tenants' events partitions erased whole. */
@QuarkusTest
@TestProfile(SchemaProfile.PartsBatched.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsBatchedTest extends BatchedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }
}
