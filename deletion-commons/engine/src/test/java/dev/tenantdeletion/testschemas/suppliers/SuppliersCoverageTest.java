package dev.tenantdeletion.testschemas.suppliers;

import static dev.tenantdeletion.deletion.plan.PlannedTable.of;
import static dev.tenantdeletion.deletion.plan.PlannedTable.through;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.testing.HealthChecks;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** Ways the suppliers schema can escape its plan (Pattern 4); shares the application start of SuppliersContractTest. */
@QuarkusTest
@TestProfile(SchemaProfile.Suppliers.class)
@WithTestResource(PostgresTestDatabase.class)
class SuppliersCoverageTest extends dev.tenantdeletion.testschemas.CoverageEscapes {

    @Override
    protected TenantSeeder seeder() {
        return new SuppliersSeeder();
    }

    @Test
    void aNewChildTableWithoutTenantIdMakesTheServiceNotReady() {
        assertEscapeRefused("create table supplier_contacts (id uuid primary key,"
                + " supplier_id uuid not null references suppliers (id), email text)", "supplier_contacts", "supplier_contacts_supplier_id_fkey");
    }

    @Test
    void aNewTableTwoLevelsBelowTheTenantMakesTheServiceNotReady() {
        assertEscapeRefused("create table purchase_order_item_notes (id uuid primary key,"
                + " purchase_order_item_id uuid not null references purchase_order_items (id), note text)",
                "purchase_order_item_notes", "purchase_order_item_notes_purchase_order_item_id_fkey");
    }

    /** A chain of unplanned tables is followed to its end: the table below the unplanned one is named too. */
    @Test
    void aChainOfUnplannedTablesIsFollowed() {
        TestDb.execute("create table supplier_audits (id uuid primary key, supplier_id uuid references suppliers (id))",
                "create table supplier_audit_lines (id uuid primary key, audit_id uuid references supplier_audits (id))");
        try {
            given().get("/q/health/ready").then().statusCode(503);
            HealthChecks.details(basePath).then()
                    .body(containsString("table supplier_audits references planned table suppliers (constraint supplier_audits_supplier_id_fkey"))
                    .body(containsString("table supplier_audit_lines references table supplier_audits (constraint supplier_audit_lines_audit_id_fkey"));
        } finally {
            TestDb.execute("drop table if exists supplier_audit_lines", "drop table if exists supplier_audits");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aTwoLevelPathLeftOutOfThePlanIsNamedWithItsForeignKey() {
        assertPlanRefused(DeletionPlan.childrenFirst(through(PurchaseOrderItem.class, "purchase_order_id", PurchaseOrder.class),
                of(PurchaseOrder.class), of(Supplier.class), of(SupplierCategory.class).selfReferencing("parent_id")),
                "purchase_order_deliveries", "purchase_order_deliveries_purchase_order_item_id_fkey");
    }

    @Test
    void anUndeclaredSelfReferenceIsRefused() {
        assertPlanRefused(DeletionPlan.childrenFirst(
                through(PurchaseOrderDelivery.class, "purchase_order_item_id", PurchaseOrderItem.class),
                through(PurchaseOrderItem.class, "purchase_order_id", PurchaseOrder.class),
                of(PurchaseOrder.class), of(Supplier.class), of(SupplierCategory.class)),
                "supplier_categories", "references itself", "supplier_categories_parent_id_fkey");
    }

    @Test
    void aPathTableBeforeItsChildIsRefused() {
        assertPlanRefused(DeletionPlan.childrenFirst(
                through(PurchaseOrderItem.class, "purchase_order_id", PurchaseOrder.class),
                through(PurchaseOrderDelivery.class, "purchase_order_item_id", PurchaseOrderItem.class),
                of(PurchaseOrder.class), of(Supplier.class), of(SupplierCategory.class).selfReferencing("parent_id")),
                "purchase_order_deliveries", "must come before");
    }
}
