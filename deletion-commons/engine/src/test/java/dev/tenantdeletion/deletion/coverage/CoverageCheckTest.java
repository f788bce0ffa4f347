package dev.tenantdeletion.deletion.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import dev.tenantdeletion.deletion.plan.ParentOwnedEntity;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import java.util.List;
import java.util.Map;
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
    private final List<ForeignKey> fks = List.of(fk("children_parent_fk", "children", "parents"));

    /** A key of a hand-made catalog, {@code child.column → parent}. */
    private static ForeignKey fk(String name, String child, String parent, String column, char onDelete) {
        List<String> columns = column.isEmpty() ? List.of() : List.of(column);
        return new ForeignKey(name, new ForeignKey.End(child, child, columns, columns, true, true),
                new ForeignKey.End(parent, parent, List.of("id"), List.of("id"), true, true), onDelete, false);
    }

    private static ForeignKey fk(String name, String child, String parent) {
        return fk(name, child, parent, "", 'a');
    }

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
        List<String> problems = CoverageCheck.evaluate(plan, List.of("parents", "children"),
                Set.of("children", "parents"), fks).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("children_parent_fk"), problems.toString());
    }

    @Test
    void anOrderThatIsNotThePlansTablesIsNoOrderToJudge() {
        for (List<String> order : List.of(List.of("children"), List.of("children", "invoices"), List.of("children", "children"))) {
            assertThrows(IllegalArgumentException.class, () -> CoverageCheck.evaluate(plan, order, Set.of("children", "parents"), fks),
                    order.toString());
        }
    }

    @Test
    void aMissingPlannedTableAndAnUnplannedReferrerAreRefused() {
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children"), fks).problems().get(0).contains("parents"));
        List<String> problems = CoverageCheck.evaluate(plan, Set.of("children", "parents"),
                List.of(fk("audit_fk", "audit_log", "parents"))).problems();
        assertTrue(problems.get(0).contains("audit_log"), problems.toString());
    }

    @Test
    void theEnginesReceiptsAreKnownButAnyOtherLookalikeIsNot() {
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children", "parents", "deletion_receipts"), fks).covered());
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children", "parents", "deletion_receipts_copy"), fks).problems().get(0)
                .contains("deletion_receipts_copy"));
        assertTrue(plan.retained().isEmpty(), "receipts are no retention rule of the service's own");
    }

    @Entity
    @Table(name = "items")
    static class Item extends ParentOwnedEntity {
    }

    @Entity
    @Table(name = "parts")
    static class Part extends ParentOwnedEntity {
    }

    private final DeletionPlan pathPlan = DeletionPlan.childrenFirst(PlannedTable.through(Part.class, "item_id", Item.class),
            PlannedTable.through(Item.class, "parent_id", Parent.class), PlannedTable.of(Parent.class));
    private final Map<String, Boolean> pathTables = Map.of("parents", true, "items", false, "parts", false);

    @Test
    void pathsOfTwoLevelsThroughRealForeignKeysPass() {
        List<ForeignKey> keys = List.of(fk("items_fk", "items", "parents", "parent_id", 'c'),
                fk("parts_fk", "parts", "items", "item_id", 'a'));
        assertEquals(List.of(), CoverageCheck.evaluate(pathPlan, pathTables, keys).problems());
    }

    @Test
    void aPathWithoutItsForeignKeyOrOnAnotherColumnIsRefused() {
        List<ForeignKey> keys = List.of(fk("items_fk", "items", "parents", "other_id", 'a'),
                fk("parts_fk", "parts", "items", "item_id", 'a'));
        List<String> problems = CoverageCheck.evaluate(pathPlan, pathTables, keys).problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("items.parent_id") && p.contains("no such foreign key")), problems.toString());
    }

    @Test
    void aCascadeChildNotPlannedThroughItsKeyIsRefused() {
        List<String> problems = CoverageCheck.evaluate(plan, Set.of("children", "parents"),
                List.of(fk("children_parent_fk", "children", "parents", "parent_id", 'c'))).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("ON DELETE CASCADE") && problems.get(0).contains("children_parent_fk"), problems.toString());
    }

    @Test
    void unplannedTablesAreFollowedToTheEndOfTheChain() {
        List<ForeignKey> keys = List.of(fk("a_fk", "audits", "parents", "parent_id", 'a'),
                fk("b_fk", "audit_lines", "audits", "audit_id", 'c'));
        List<String> problems = CoverageCheck.evaluate(plan, Map.of("children", true, "parents", true, "audits", false,
                "audit_lines", false), keys).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(1).contains("audit_lines") && problems.get(1).contains("b_fk"), problems.toString());
        // finding 15 of the 2026-12-04 review: a retained table that references the deleted rows is refused, not skipped
        List<String> retained = CoverageCheck.evaluate(plan.retaining("audits", "kept for the auditors"), Map.of("children", true,
                "parents", true, "audits", false, "audit_lines", false), keys).problems();
        assertEquals(1, retained.size(), retained.toString());
        assertTrue(retained.get(0).startsWith("retained table audits references planned table parents (constraint a_fk"), retained.toString());
    }

    @Test
    void aRetainedTableBelowAnUnplannedRetainedOneIsFine() {
        List<ForeignKey> keys = List.of(fk("b_fk", "audit_lines", "audits", "audit_id", 'a'));
        assertTrue(CoverageCheck.evaluate(plan.retaining("audits", "kept"), Map.of("children", true, "parents", true, "audits", true,
                "audit_lines", false), keys).covered(), "a retained table may reference what is kept");
    }

    /** Finding 10: a table of another schema referencing a planned table is a referrer, named schema-qualified. */
    @Test
    void aReferrerInAnotherSchemaIsNamedWithItsSchema() {
        List<String> problems = CoverageCheck.evaluate(plan, Set.of("children", "parents"),
                List.of(fk("children_parent_fk", "children", "parents"), fk("stats_fk", "rpt.stats", "parents", "parent_id", 'c'))).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("table rpt.stats references planned table parents (constraint stats_fk"), problems.toString());
    }

    @Entity
    @Table(name = "lines")
    static class TenantLine extends TenantOwnedEntity {
    }

    @Entity
    @Table(name = "lines")
    static class Line extends ParentOwnedEntity {
    }

    /** Finding 9: a path table's own tenant_id is what its entity says, and such a table is not reached through a CASCADE. */
    @Test
    void aPathTableWithATenantIdOfItsOwn() {
        DeletionPlan withTenant = DeletionPlan.childrenFirst(PlannedTable.through(TenantLine.class, "parent_id", Parent.class),
                PlannedTable.of(Child.class), PlannedTable.of(Parent.class));
        DeletionPlan without = DeletionPlan.childrenFirst(PlannedTable.through(Line.class, "parent_id", Parent.class),
                PlannedTable.of(Child.class), PlannedTable.of(Parent.class));
        List<ForeignKey> restrict = List.of(fk("lines_fk", "lines", "parents", "parent_id", 'a'));
        assertTrue(CoverageCheck.evaluate(withTenant, Map.of("lines", true, "children", true, "parents", true), restrict).covered());
        assertTrue(CoverageCheck.evaluate(without, Map.of("lines", false, "children", true, "parents", true), restrict).covered());
        assertTrue(CoverageCheck.evaluate(without, Map.of("lines", true, "children", true, "parents", true), restrict).problems().get(0)
                .contains("has a tenant_id column, but its entity does not extend TenantOwnedEntity"));
        assertTrue(CoverageCheck.evaluate(withTenant, Map.of("lines", false, "children", true, "parents", true), restrict).problems().get(0)
                .contains("but the table has no tenant_id column"));
        List<String> cascade = CoverageCheck.evaluate(withTenant, Map.of("lines", true, "children", true, "parents", true),
                List.of(fk("lines_fk", "lines", "parents", "parent_id", 'c'))).problems();
        assertEquals(1, cascade.size(), cascade.toString());
        assertTrue(cascade.get(0).contains("ON DELETE CASCADE (constraint lines_fk)"), cascade.toString());
        assertTrue(CoverageCheck.evaluate(without, Map.of("lines", false, "children", true, "parents", true),
                List.of(fk("lines_fk", "lines", "parents", "parent_id", 'c'))).covered(), "without a tenant_id of its own a cascade is a path");
    }

    @Test
    void aSelfReferenceMustBeDeclared() {
        List<ForeignKey> keys = List.of(fk("tree_fk", "parents", "parents", "parent_id", 'a'));
        assertTrue(CoverageCheck.evaluate(plan, Set.of("children", "parents"), keys).problems().get(0).contains("references itself"));
        DeletionPlan tree = DeletionPlan.childrenFirst(PlannedTable.of(Child.class), PlannedTable.of(Parent.class).selfReferencing("parent_id"));
        assertTrue(CoverageCheck.evaluate(tree, Set.of("children", "parents"), keys).covered());
    }
}
