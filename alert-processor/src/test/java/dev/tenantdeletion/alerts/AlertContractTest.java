package dev.tenantdeletion.alerts;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresTestDatabase.class)
class AlertContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new AlertSeeder();
    }
}
