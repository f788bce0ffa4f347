package dev.tenantdeletion.external;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresTestDatabase.class)
class ExternalContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new ExternalSeeder();
    }
}
