package dev.tenantdeletion.deletion.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tenantdeletion.testing.PackagePlan;
import org.junit.jupiter.api.Test;

/**
 * The engine's package plan (docs/architecture.md), enforced over deletion-engine and the deletion-base it runs on: every
 * tie between two packages goes one way, and the engine, which every DELETE crosses, knows nothing of the readiness
 * check, the metrics or the HTTP layer that use it.
 */
class PackagePlanTest {

    private static final String ROOT = "dev.tenantdeletion.deletion";

    private static final PackagePlan PLAN = PackagePlan.of(ROOT);
    private static final JavaClasses MAIN = PLAN.main();

    @Test
    void noTwoPackagesDependOnEachOther() {
        PLAN.hasNoTwoWayTies();
    }

    @Test
    void theEngineImportsNeitherCoverageNorMetricsNorTheHttpLayer() {
        noClasses().that().resideInAPackage(ROOT + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".coverage..", ROOT + ".metrics..", ROOT + ".rest..")
                .check(MAIN);
    }

    @Test
    void thePlanIsADescriptionThatRunsNothing() {
        noClasses().that().resideInAPackage(ROOT + ".plan..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".engine..", ROOT + ".coverage..", ROOT + ".metrics..",
                        ROOT + ".rest..")
                .check(MAIN);
    }
}
