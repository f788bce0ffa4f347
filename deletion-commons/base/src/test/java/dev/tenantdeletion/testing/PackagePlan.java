package dev.tenantdeletion.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * A module's package plan under test (ArchUnit): the main classes below a root package, and the one rule every module
 * keeps — no two packages depend on each other in both directions. Each module's {@code PackagePlanTest} adds its own.
 */
public record PackagePlan(String root, JavaClasses main) {

    /** The main classes (tests left out) below {@code root}, as the test's classpath has them. */
    public static PackagePlan of(String root) {
        return new PackagePlan(root, new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root));
    }

    public void hasNoTwoWayTies() {
        slices().matching(root + ".(**)").should().beFreeOfCycles().check(main);
    }
}
