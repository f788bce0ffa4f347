package dev.tenantdeletion.external;

import dev.tenantdeletion.testing.DeletionDisabledProfile;
import dev.tenantdeletion.testing.DisabledDeletionSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(DeletionDisabledProfile.class)
@WithTestResource(PostgresTestDatabase.class)
class ExternalDisabledTest extends DisabledDeletionSuite {

    @Override
    protected TenantSeeder seeder() {
        return new ExternalSeeder();
    }
}
