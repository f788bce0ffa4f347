package dev.tenantdeletion.deletion.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.coverage.CoverageCheck.ForeignKey;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of the coverage check on a hand-made catalog; the services' suites check it on a live one. */
class CoverageCheckTest {

    @Entity
    @Table(name = "children")
    static class Child extends TenantOwnedEntity {
    }

    @Entity
    @Table(name = "parents")
    static class Parent extends TenantOwnedEntity {
    }

    private final DeletionPlan plan = DeletionPlan.childrenFirst(Child.class, Parent.class);
    private final List<ForeignKey> fks = List.of(new ForeignKey("children_parent_fk", "children", "parents"));

    @Test
    void aPlanCoveringEveryTableChildrenFirstPasses() {
        assertEquals(List.of(), CoverageCheck.evaluate(plan, Set.of("children", "parents"), fks).problems());
    }

    @Test
    void anUnplannedTenantTableIsNamed() {
        List<String> problems = CoverageCheck.evaluate(plan, Set.of("children", "parents", "invoices"), fks).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("invoices"));
        assertTrue(CoverageCheck.evaluate(plan.retaining("invoices", "tax law: 10 years"),
                Set.of("children", "parents", "invoices"), fks).covered());
    }

    @Test
    void parentsBeforeChildrenIsRefused() {
        List<String> problems = CoverageCheck.evaluate(plan.reordered(List.of("parents", "children")),
                Set.of("children", "parents"), fks).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("children_parent_fk"), problems.toString());
    }

    @Test
    void aMissingPlannedTableAndAnUnplannedReferrerAreRefused() {
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children"), fks).problems().get(0).contains("parents"));
        List<String> problems = CoverageCheck.evaluate(plan, Set.of("children", "parents"),
                List.of(new ForeignKey("audit_fk", "audit_log", "parents"))).problems();
        assertTrue(problems.get(0).contains("audit_log"), problems.toString());
    }

    @Test
    void theEnginesReceiptsAreKnownButAnyOtherLookalikeIsNot() {
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children", "parents", "deletion_receipts"), fks).covered());
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children", "parents", "deletion_receipts_copy"), fks).problems().get(0)
                .contains("deletion_receipts_copy"));
        assertTrue(plan.retained().isEmpty(), "receipts are no retention rule of the service's own");
    }
}
