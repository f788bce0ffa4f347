package dev.tenantdeletion.testschemas.orders;

import static dev.tenantdeletion.deletion.plan.PlannedTable.of;
import static dev.tenantdeletion.deletion.plan.PlannedTable.through;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Ways the orders schema can escape its plan (Pattern 2); shares the application start of OrdersContractTest. */
@QuarkusTest
@TestProfile(SchemaProfile.Orders.class)
@WithTestResource(PostgresTestDatabase.class)
class OrdersCoverageTest extends dev.tenantdeletion.testschemas.CoverageEscapes {

    @Override
    protected TenantSeeder seeder() {
        return new OrdersSeeder();
    }

    @Test
    void aNewCascadeChildMakesTheServiceNotReady() {
        assertEscapeRefused("create table order_notes (id uuid primary key,"
                + " order_id uuid not null references orders (id) on delete cascade, note text)", "order_notes", "order_notes_order_id_fkey");
    }

    @Test
    void aCascadeChildLeftOutOfThePlanIsNamedWithItsForeignKey() {
        assertPlanRefused(DeletionPlan.childrenFirst(through(OrderItem.class, "order_id", CustomerOrder.class),
                of(CustomerOrder.class), of(Customer.class)), "order_status_history", "order_status_history_order_id_fkey");
    }

    @Test
    void aPathThroughAForeignKeyThatDoesNotExistIsRefused() {
        assertPlanRefused(DeletionPlan.childrenFirst(through(OrderItem.class, "order_id", Customer.class),
                through(OrderStatusHistory.class, "order_id", CustomerOrder.class), of(CustomerOrder.class), of(Customer.class)),
                "order_items", "no such foreign key");
    }
}
