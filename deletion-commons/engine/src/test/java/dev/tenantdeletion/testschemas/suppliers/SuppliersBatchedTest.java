package dev.tenantdeletion.testschemas.suppliers;

import dev.tenantdeletion.testing.BatchedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(SchemaProfile.SuppliersBatched.class)
@WithTestResource(PostgresTestDatabase.class)
class SuppliersBatchedTest extends BatchedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new SuppliersSeeder();
    }
}
