package dev.tenantdeletion.external;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TriggerModeProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared contract suite with deletion.fk-checks=triggers (ExternalContractTest runs it in the default, auto = fast). */
@QuarkusTest
@TestProfile(TriggerModeProfile.class)
@WithTestResource(PostgresTestDatabase.class)
class ExternalTriggerModeContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new ExternalSeeder();
    }

    @Override
    protected String expectedForeignKeyChecks() {
        return "triggers";
    }
}
