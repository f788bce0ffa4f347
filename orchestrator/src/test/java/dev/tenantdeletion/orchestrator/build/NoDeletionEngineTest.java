package dev.tenantdeletion.orchestrator.build;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The orchestrator depends on deletion-base only: the services' engine, plan and tenant endpoints are not on its
 * classpath at all, so nothing has to switch them off (no build flag, no excluded bean).
 */
class NoDeletionEngineTest {

    @Test
    void theEngineAndTheServiceEndpointsAreNotOnTheClasspath() {
        for (String engineClass : new String[] {
                "dev.tenantdeletion.deletion.engine.DeletionEngine",
                "dev.tenantdeletion.deletion.plan.DeletionPlan",
                "dev.tenantdeletion.deletion.rest.TenantDeletionResource",
                "dev.tenantdeletion.deletion.coverage.CoverageReadinessCheck"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(engineClass), engineClass);
        }
    }
}
