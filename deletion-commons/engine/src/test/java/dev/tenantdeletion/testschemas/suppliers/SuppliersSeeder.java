package dev.tenantdeletion.testschemas.suppliers;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TenantSeeder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * FK-consistent suppliers rows, set-based: a category tree (a binary heap: category g's parent is g / 2, so the
 * depth grows with the size), suppliers (every fourth without a category), purchase orders, their items and the
 * items' deliveries.
 */
public class SuppliersSeeder implements TenantSeeder {

    @Override
    public void seed(Connection db, UUID tenant, int rows) throws SQLException {
        int categories = Math.max(4, rows / 20);
        int suppliers = Math.max(3, rows / 15);
        int orders = Math.max(4, rows / 6);
        int deliveries = Math.max(4, rows / 3);
        int items = Math.max(4, rows - categories - suppliers - orders - deliveries);
        // ids derived from the tenant and the position, so one statement can point at its own parents
        update(db, """
                insert into supplier_categories (id, tenant_id, parent_id, name)
                select md5(?::text || ':category:' || g)::uuid, ?,
                       case when g = 1 then null else md5(?::text || ':category:' || (g / 2))::uuid end, 'category ' || g
                from generate_series(1, ?) g""", tenant, tenant, tenant, categories);
        update(db, """
                insert into suppliers (id, tenant_id, category_id, name)
                select gen_random_uuid(), ?, case when g % 4 = 0 then null else c.ids[1 + g % cardinality(c.ids)] end, 'supplier ' || g
                from generate_series(1, ?) g, (select array_agg(id) as ids from supplier_categories where tenant_id = ?) c""",
                tenant, suppliers, tenant);
        update(db, """
                insert into purchase_orders (id, tenant_id, supplier_id, po_number, status)
                select gen_random_uuid(), ?, s.ids[1 + g % cardinality(s.ids)], 'PO-' || g, (array['draft','sent','received'])[1 + g % 3]
                from generate_series(1, ?) g, (select array_agg(id) as ids from suppliers where tenant_id = ?) s""",
                tenant, orders, tenant);
        update(db, """
                insert into purchase_order_items (id, purchase_order_id, product_name, quantity, unit_price)
                select gen_random_uuid(), p.ids[1 + g % cardinality(p.ids)], 'flour ' || g, 1 + g % 20, 1 + (g % 300) / 10.0
                from generate_series(1, ?) g, (select array_agg(id) as ids from purchase_orders where tenant_id = ?) p""",
                items, tenant);
        update(db, """
                insert into purchase_order_deliveries (id, purchase_order_item_id, quantity)
                select gen_random_uuid(), i.ids[1 + g % cardinality(i.ids)], 1 + g % 5
                from generate_series(1, ?) g,
                     (select array_agg(i.id) as ids from purchase_order_items i
                      join purchase_orders p on p.id = i.purchase_order_id where p.tenant_id = ?) i""",
                deliveries, tenant);
    }

    @Override
    public String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException {
        update(db, """
                insert into purchase_orders (id, tenant_id, supplier_id, po_number)
                select gen_random_uuid(), ?, id, 'PO-borrowed' from suppliers where tenant_id = ? limit 1""", other, tenant);
        return "purchase_orders";
    }

    @Override
    public LateChild lateChild(UUID tenant) {
        return new LateChild("suppliers", "purchase_orders", ("insert into purchase_orders (id, tenant_id, supplier_id, po_number)"
                + " select gen_random_uuid(), tenant_id, id, 'PO-late' from suppliers where tenant_id = '%s' limit 1").formatted(tenant));
    }
}
