package dev.tenantdeletion.testschemas.suppliers;

import static dev.tenantdeletion.deletion.plan.PlannedTable.of;
import static dev.tenantdeletion.deletion.plan.PlannedTable.through;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Pattern 4: deliveries of items of purchase orders (two levels without tenant_id), and a category tree. */
@IfBuildProperty(name = "deletion-test.schema", stringValue = "suppliers")
public class SuppliersPlan {

    public static DeletionPlan plan() {
        return DeletionPlan.childrenFirst(
                through(PurchaseOrderDelivery.class, "purchase_order_item_id", PurchaseOrderItem.class),
                through(PurchaseOrderItem.class, "purchase_order_id", PurchaseOrder.class),
                of(PurchaseOrder.class),
                of(Supplier.class),
                of(SupplierCategory.class).selfReferencing("parent_id"));
    }

    @Produces
    @Singleton
    DeletionPlan produce() {
        return plan();
    }
}
