package dev.tenantdeletion.alerts;

import dev.tenantdeletion.testing.BoundedDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Shares the application start of AlertContractTest (same resources, no profile). */
@QuarkusTest
@WithTestResource(PostgresTestDatabase.class)
class AlertBoundedDeletionTest extends BoundedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new AlertSeeder();
    }
}
