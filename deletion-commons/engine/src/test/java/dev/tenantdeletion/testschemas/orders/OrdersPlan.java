package dev.tenantdeletion.testschemas.orders;

import static dev.tenantdeletion.deletion.plan.PlannedTable.of;
import static dev.tenantdeletion.deletion.plan.PlannedTable.through;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Pattern 2: the ON DELETE CASCADE children are planned through their order, so they are deleted and counted first. */
@IfBuildProperty(name = "deletion-test.schema", stringValue = "orders")
public class OrdersPlan {

    public static DeletionPlan plan() {
        return DeletionPlan.childrenFirst(
                through(OrderItem.class, "order_id", CustomerOrder.class),
                through(OrderStatusHistory.class, "order_id", CustomerOrder.class),
                of(CustomerOrder.class),
                of(Customer.class));
    }

    @Produces
    @Singleton
    DeletionPlan produce() {
        return plan();
    }
}
