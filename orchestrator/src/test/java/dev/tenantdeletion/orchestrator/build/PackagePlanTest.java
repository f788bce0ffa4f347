package dev.tenantdeletion.orchestrator.build;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.tenantdeletion.testing.PackagePlan;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator's package plan (docs/architecture.md, "The orchestrator's rooms"), enforced: every tie between
 * two packages goes one way, the shared vocabulary ({@code model}) sits below everything, the store and the fan-out
 * never meet except through it, every access rule sits in {@code access} below the resources, and nothing of the
 * services' engine is on the classpath.
 */
class PackagePlanTest {

    private static final String ROOT = "dev.tenantdeletion.orchestrator";

    private static final PackagePlan PLAN = PackagePlan.of(ROOT);
    private static final JavaClasses MAIN = PLAN.main();

    @Test
    void noTwoPackagesDependOnEachOther() {
        PLAN.hasNoTwoWayTies();
    }

    @Test
    void theModelDependsOnNoOtherPackageOfTheOrchestrator() {
        noClasses().that().resideInAPackage(ROOT + ".model..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".model.."))))
                .check(MAIN);
    }

    @Test
    void theStoreAndTheFanOutMeetOnlyInTheModel() {
        noClasses().that().resideInAPackage(ROOT + ".fanout..").should().dependOnClassesThat().resideInAPackage(ROOT + ".job..")
                .check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".job.store..").should().dependOnClassesThat().resideInAPackage(ROOT + ".fanout..")
                .check(MAIN);
    }

    @Test
    void theJobStoreKnowsNothingAboveItNorOfLegalHolds() {
        noClasses().that().resideInAPackage(ROOT + ".job.store..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".job.service..", ROOT + ".job.rest..", ROOT + ".job.task..",
                        ROOT + ".hold..", ROOT + ".metrics..")
                .check(MAIN);
    }

    /** Every access rule in one place, decided from the token alone: the policy imports nothing of the orchestrator. */
    @Test
    void theAccessPolicyDependsOnNoOtherPackageOfTheOrchestrator() {
        noClasses().that().resideInAPackage(ROOT + ".access..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".access.."))))
                .check(MAIN);
    }

    @Test
    void metricsAreFedAndNeverReadTheStore() {
        noClasses().that().resideInAPackage(ROOT + ".metrics..").should().dependOnClassesThat().resideInAnyPackage(ROOT + ".job..",
                        ROOT + ".reverify..")
                .check(MAIN);
    }

    /**
     * Re-verification sits above the jobs: it creates follow-up jobs through the job service, and nothing of the jobs knows
     * it (a job runs the same with re-verification off); its store reads the job table by SQL only, and never calls out.
     */
    @Test
    void reverificationSitsAboveTheJobsWhichNeverSeeIt() {
        noClasses().that().resideInAPackage(ROOT + ".job..").should().dependOnClassesThat().resideInAPackage(ROOT + ".reverify..")
                .check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".reverify.store..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".job..", ROOT + ".fanout..", ROOT + ".metrics..",
                        ROOT + ".reverify.service..")
                .check(MAIN);
    }

    @Test
    void onlyTheHttpLayerUsesTheHttpLayer() {
        noClasses().that().resideInAnyPackage(ROOT + ".model..", ROOT + "..store..", ROOT + "..service..", ROOT + ".fanout..",
                        ROOT + ".registry..", ROOT + ".config..", ROOT + ".metrics..", ROOT + ".access..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "..rest..")
                .check(MAIN);
    }

    /**
     * The orchestrator talks to services only through the contract: the engine, plans and tenant endpoints are not even on its
     * classpath, so nothing has to switch them off.
     */
    @Test
    void nothingOfTheServicesEngineIsOnTheClasspath() {
        JavaClasses everything = new ClassFileImporter().importPackages("dev.tenantdeletion");
        noClasses().should().resideInAnyPackage("dev.tenantdeletion.deletion.engine..", "dev.tenantdeletion.deletion.plan..",
                        "dev.tenantdeletion.deletion.coverage..", "dev.tenantdeletion.deletion.rest..")
                .check(everything);
    }
}
