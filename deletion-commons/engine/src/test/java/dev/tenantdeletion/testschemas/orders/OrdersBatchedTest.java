package dev.tenantdeletion.testschemas.orders;

import dev.tenantdeletion.testing.BatchedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(SchemaProfile.OrdersBatched.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersBatchedTest extends BatchedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }
}
