package dev.tenantdeletion.alerts;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TriggerModeProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared contract suite with deletion.fk-checks=triggers (AlertContractTest runs it in the default, auto = fast). */
@QuarkusTest
@TestProfile(TriggerModeProfile.class)
@WithTestResource(PostgresTestDatabase.class)
class AlertTriggerModeContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new AlertSeeder();
    }

    @Override
    protected String expectedForeignKeyChecks() {
        return "triggers";
    }
}
