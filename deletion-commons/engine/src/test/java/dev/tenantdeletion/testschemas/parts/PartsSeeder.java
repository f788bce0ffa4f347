package dev.tenantdeletion.testschemas.parts;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TenantSeeder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * FK-consistent rows of the partitioned schema, set-based: accounts, invoices (spread over the hash partitions), their
 * lines (line numbers 1…n, so over every range partition) and events (every fifth without an account). A tenant seeded
 * with at least {@link #OWN_PARTITION_ROWS} rows is a big tenant: its events get a partition of their own.
 */
public class PartsSeeder implements TenantSeeder {

    public static final int OWN_PARTITION_ROWS = 120;

    /** The name of the tenant's own partition of events. */
    public static String ownPartition(UUID tenant) {
        return "events_t" + tenant.toString().replace("-", "");
    }

    @Override
    public void seed(Connection db, UUID tenant, int rows) throws SQLException {
        int accounts = Math.max(3, rows / 10);
        int invoices = Math.max(4, rows / 4);
        int lines = Math.max(4, rows / 3);
        int events = Math.max(4, rows - accounts - invoices - lines);
        if (rows >= OWN_PARTITION_ROWS) {
            update(db, "create table if not exists " + ownPartition(tenant) + " partition of events for values in ('" + tenant + "')");
        }
        update(db, "insert into accounts (id, tenant_id, name) select gen_random_uuid(), ?, 'account ' || g from generate_series(1, ?) g",
                tenant, accounts);
        update(db, """
                insert into invoices (id, tenant_id, account_id, number, total)
                select gen_random_uuid(), ?, a.ids[1 + g % cardinality(a.ids)], 'INV-' || g, g % 500
                from generate_series(1, ?) g, (select array_agg(id) as ids from accounts where tenant_id = ?) a""",
                tenant, invoices, tenant);
        update(db, """
                insert into invoice_lines (id, tenant_id, invoice_id, line_no, amount)
                select gen_random_uuid(), ?, i.ids[1 + g % cardinality(i.ids)], g, 1 + g % 100
                from generate_series(1, ?) g, (select array_agg(id) as ids from invoices where tenant_id = ?) i""",
                tenant, lines, tenant);
        update(db, """
                insert into events (id, tenant_id, account_id, kind)
                select gen_random_uuid(), ?, case when g % 5 = 0 then null else a.ids[1 + g % cardinality(a.ids)] end,
                       (array['login','sale','refund'])[1 + g % 3]
                from generate_series(1, ?) g, (select array_agg(id) as ids from accounts where tenant_id = ?) a""",
                tenant, events, tenant);
    }

    @Override
    public String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException {
        update(db, """
                insert into invoices (id, tenant_id, account_id, number)
                select gen_random_uuid(), ?, id, 'INV-borrowed' from accounts where tenant_id = ? limit 1""", other, tenant);
        return "invoices";
    }

    @Override
    public LateChild lateChild(UUID tenant) {
        return new LateChild("accounts", "invoices", ("insert into invoices (id, tenant_id, account_id, number)"
                + " select gen_random_uuid(), tenant_id, id, 'INV-late' from accounts where tenant_id = '%s' limit 1").formatted(tenant));
    }
}
