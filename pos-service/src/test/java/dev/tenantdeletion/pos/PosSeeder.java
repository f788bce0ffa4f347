package dev.tenantdeletion.pos;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TenantSeeder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** FK-consistent POS rows, set-based; every third session has no device, some devices no serial. */
public class PosSeeder implements TenantSeeder {

    @Override
    public void seed(Connection db, UUID tenant, int rows) throws SQLException {
        int configurations = Math.max(2, rows / 60);
        int devices = Math.max(2, rows / 30);
        int sessions = Math.max(4, rows / 6);
        int transactions = Math.max(4, rows - configurations - devices - sessions);
        update(db, """
                insert into pos_configurations (id, tenant_id, provider, name, is_active)
                select gen_random_uuid(), ?, (array['square','sumup','toast'])[1 + g % 3], 'register ' || g, g % 5 <> 0
                from generate_series(1, ?) g""", tenant, configurations);
        update(db, """
                insert into pos_devices (id, tenant_id, configuration_id, device_name, serial_number)
                select gen_random_uuid(), ?, c.ids[1 + g % cardinality(c.ids)], 'device ' || g,
                       case when g % 4 = 0 then null else 'SN-' || g end
                from generate_series(1, ?) g,
                     (select array_agg(id) as ids from pos_configurations where tenant_id = ?) c""", tenant, devices, tenant);
        update(db, """
                insert into pos_sessions (id, tenant_id, configuration_id, device_id, status, opened_at, closed_at)
                select gen_random_uuid(), ?, d.configurations[1 + g % cardinality(d.ids)],
                       case when g % 3 = 0 then null else d.ids[1 + g % cardinality(d.ids)] end,
                       case when g % 2 = 0 then 'closed' else 'open' end, now() - g * interval '1 minute',
                       case when g % 2 = 0 then now() end
                from generate_series(1, ?) g,
                     (select array_agg(id order by id) as ids, array_agg(configuration_id order by id) as configurations
                      from pos_devices where tenant_id = ?) d""", tenant, sessions, tenant);
        update(db, """
                insert into pos_transactions (id, tenant_id, session_id, configuration_id, external_id, amount, currency)
                select gen_random_uuid(), ?, s.ids[1 + g % cardinality(s.ids)], s.configurations[1 + g % cardinality(s.ids)],
                       case when g % 5 = 0 then null else 'ext-' || g end,
                       1 + (g % 10000) / 100.0, case when g % 7 = 0 then 'USD' else 'EUR' end
                from generate_series(1, ?) g,
                     (select array_agg(id order by id) as ids, array_agg(configuration_id order by id) as configurations
                      from pos_sessions where tenant_id = ?) s""", tenant, transactions, tenant);
    }

    @Override
    public String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException {
        update(db, """
                insert into pos_devices (id, tenant_id, configuration_id, device_name)
                select gen_random_uuid(), ?, id, 'borrowed register' from pos_configurations where tenant_id = ? limit 1""",
                other, tenant);
        return "pos_devices";
    }

    @Override
    public LateChild lateChild(UUID tenant) {
        return new LateChild("pos_configurations", "pos_devices", "insert into pos_devices (id, tenant_id, configuration_id, device_name) select gen_random_uuid(), tenant_id, id, 'late device' from pos_configurations where tenant_id = '%s' limit 1".formatted(tenant));
    }
}
