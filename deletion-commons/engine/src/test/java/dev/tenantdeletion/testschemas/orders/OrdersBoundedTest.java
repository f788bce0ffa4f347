package dev.tenantdeletion.testschemas.orders;

import dev.tenantdeletion.testing.BoundedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(SchemaProfile.Orders.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersBoundedTest extends BoundedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }
}
