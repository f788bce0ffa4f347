package dev.tenantdeletion.pos;

import dev.tenantdeletion.testing.PackagedServiceSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
@WithTestResource(PostgresTestDatabase.class)
class PosPackagedIT extends PackagedServiceSuite {

    @Override
    protected TenantSeeder seeder() {
        return new PosSeeder();
    }
}
