package dev.tenantdeletion.alerts;

import dev.tenantdeletion.testing.BatchedDeletionSuite;
import dev.tenantdeletion.testing.BatchedModeProfile;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(BatchedModeProfile.class)
@WithTestResource(PostgresTestDatabase.class)
class AlertBatchedTest extends BatchedDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new AlertSeeder();
    }
}
