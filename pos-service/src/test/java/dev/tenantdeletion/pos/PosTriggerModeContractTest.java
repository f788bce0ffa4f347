package dev.tenantdeletion.pos;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The shared contract suite with deletion.fk-checks=triggers (PosContractTest runs it in the default, auto = fast). */
@QuarkusTest
@TestProfile(PosTriggerModeContractTest.TriggerMode.class)
@WithTestResource(PostgresTestDatabase.class)
class PosTriggerModeContractTest extends DeletionContractSuite {

    public static class TriggerMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.fk-checks", "triggers");
        }
    }

    @Override
    protected TenantSeeder seeder() {
        return new PosSeeder();
    }

    @Override
    protected String expectedForeignKeyChecks() {
        return "triggers";
    }
}
