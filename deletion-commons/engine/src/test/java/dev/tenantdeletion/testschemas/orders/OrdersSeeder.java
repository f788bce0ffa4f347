package dev.tenantdeletion.testschemas.orders;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TenantSeeder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** FK-consistent orders rows, set-based; every fifth order has no customer. Items and history go through the orders. */
public class OrdersSeeder implements TenantSeeder {

    @Override
    public void seed(Connection db, UUID tenant, int rows) throws SQLException {
        int customers = Math.max(2, rows / 30);
        int orders = Math.max(4, rows / 6);
        int history = Math.max(4, rows / 4);
        int items = Math.max(4, rows - customers - orders - history);
        update(db, """
                insert into customers (id, tenant_id, name)
                select gen_random_uuid(), ?, 'customer ' || g from generate_series(1, ?) g""", tenant, customers);
        update(db, """
                insert into orders (id, tenant_id, customer_id, order_number, status, total)
                select gen_random_uuid(), ?, case when g % 5 = 0 then null else c.ids[1 + g % cardinality(c.ids)] end,
                       'ORD-' || g, (array['pending','confirmed','delivered'])[1 + g % 3], g % 1000
                from generate_series(1, ?) g, (select array_agg(id) as ids from customers where tenant_id = ?) c""",
                tenant, orders, tenant);
        update(db, """
                insert into order_items (id, order_id, product_name, quantity, unit_price)
                select gen_random_uuid(), o.ids[1 + g % cardinality(o.ids)], 'product ' || g, 1 + g % 9, 1 + (g % 500) / 10.0
                from generate_series(1, ?) g, (select array_agg(id) as ids from orders where tenant_id = ?) o""",
                items, tenant);
        update(db, """
                insert into order_status_history (id, order_id, old_status, new_status)
                select gen_random_uuid(), o.ids[1 + g % cardinality(o.ids)], case when g % 2 = 0 then null else 'pending' end,
                       'confirmed'
                from generate_series(1, ?) g, (select array_agg(id) as ids from orders where tenant_id = ?) o""",
                history, tenant);
    }

    @Override
    public String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException {
        update(db, """
                insert into orders (id, tenant_id, customer_id, order_number)
                select gen_random_uuid(), ?, id, 'ORD-borrowed' from customers where tenant_id = ? limit 1""", other, tenant);
        return "orders";
    }

    @Override
    public LateChild lateChild(UUID tenant) {
        return new LateChild("customers", "orders", ("insert into orders (id, tenant_id, customer_id, order_number)"
                + " select gen_random_uuid(), tenant_id, id, 'ORD-late' from customers where tenant_id = '%s' limit 1").formatted(tenant));
    }
}
