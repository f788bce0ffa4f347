package dev.tenantdeletion.platform;

import static dev.tenantdeletion.testing.TestDb.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** FK-consistent, set-based rows for every table of the three services (the shapes of their own test seeders). */
final class Seeds {

    static final List<String> POS_TABLES = List.of("pos_transactions", "pos_sessions", "pos_devices", "pos_configurations");
    static final List<String> EXTERNAL_TABLES = List.of("external_api_logs", "api_key_usages", "external_data_cache");
    static final List<String> ALERT_TABLES = List.of("alert_notifications", "alert_history", "alerts", "alert_rules");

    private Seeds() {
    }

    static void pos(Connection db, UUID tenant, int rows) throws SQLException {
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
                select gen_random_uuid(), ?, d.configuration_id, case when g % 3 = 0 then null else d.id end,
                       case when g % 2 = 0 then 'closed' else 'open' end, now() - g * interval '1 minute',
                       case when g % 2 = 0 then now() end
                from generate_series(1, ?) g
                join (select id, configuration_id, row_number() over (order by id) - 1 as rn, count(*) over () as n
                      from pos_devices where tenant_id = ?) d on d.rn = g % d.n""", tenant, sessions, tenant);
        update(db, """
                insert into pos_transactions (id, tenant_id, session_id, configuration_id, external_id, amount, currency)
                select gen_random_uuid(), ?, s.id, s.configuration_id, case when g % 5 = 0 then null else 'ext-' || g end,
                       1 + (g % 10000) / 100.0, case when g % 7 = 0 then 'USD' else 'EUR' end
                from generate_series(1, ?) g
                join (select id, configuration_id, row_number() over (order by id) - 1 as rn, count(*) over () as n
                      from pos_sessions where tenant_id = ?) s on s.rn = g % s.n""", tenant, transactions, tenant);
    }

    static void external(Connection db, UUID tenant, int rows) throws SQLException {
        int cacheEntries = Math.max(2, rows / 4);
        int usages = Math.max(2, rows / 4);
        int logs = Math.max(4, rows - cacheEntries - usages);
        update(db, """
                insert into external_data_cache (id, tenant_id, source, cache_key, payload, expires_at)
                select gen_random_uuid(), ?, (array['weather','holidays','traffic'])[1 + g % 3], 'key-' || g,
                       jsonb_build_object('n', g), case when g % 2 = 0 then now() + interval '1 day' end
                from generate_series(1, ?) g""", tenant, cacheEntries);
        update(db, """
                insert into api_key_usages (id, tenant_id, api_name, usage_date, request_count)
                select gen_random_uuid(), ?, (array['weather','holidays'])[1 + g % 2], current_date - g, g % 500
                from generate_series(1, ?) g""", tenant, usages);
        update(db, """
                insert into external_api_logs (id, tenant_id, api_name, endpoint, status_code, duration_ms, cache_entry_id)
                select gen_random_uuid(), ?, 'weather', '/v1/forecast?day=' || g,
                       case when g % 9 = 0 then null else 200 end, g % 900,
                       case when g % 2 = 0 then null else c.ids[1 + g % cardinality(c.ids)] end
                from generate_series(1, ?) g,
                     (select array_agg(id) as ids from external_data_cache where tenant_id = ?) c""", tenant, logs, tenant);
    }

    static void alerts(Connection db, UUID tenant, int rows) throws SQLException {
        int rules = Math.max(2, rows / 40);
        int alerts = Math.max(4, rows / 5);
        int history = Math.max(4, rows * 2 / 5);
        int notifications = Math.max(4, rows - rules - alerts - history);
        update(db, """
                insert into alert_rules (id, tenant_id, name, condition, severity, enabled)
                select gen_random_uuid(), ?, 'rule ' || g, jsonb_build_object('threshold', g),
                       (array['low','medium','high'])[1 + g % 3], g % 4 <> 0
                from generate_series(1, ?) g""", tenant, rules);
        update(db, """
                insert into alerts (id, tenant_id, rule_id, title, message, severity, status)
                select gen_random_uuid(), ?, case when g % 4 = 0 then null else r.ids[1 + g % cardinality(r.ids)] end,
                       'alert ' || g, case when g % 3 = 0 then null else 'stock low' end, 'high',
                       case when g % 2 = 0 then 'resolved' else 'active' end
                from generate_series(1, ?) g,
                     (select array_agg(id) as ids from alert_rules where tenant_id = ?) r""", tenant, alerts, tenant);
        String perAlert = """
                from generate_series(1, ?) g,
                     (select array_agg(id) as ids from alerts where tenant_id = ?) a""";
        update(db, """
                insert into alert_history (id, tenant_id, alert_id, old_status, new_status)
                select gen_random_uuid(), ?, a.ids[1 + g % cardinality(a.ids)], case when g % 2 = 0 then 'active' end, 'acknowledged'
                """ + perAlert, tenant, history, tenant);
        update(db, """
                insert into alert_notifications (id, tenant_id, alert_id, channel, recipient, status, sent_at)
                select gen_random_uuid(), ?, a.ids[1 + g % cardinality(a.ids)], (array['email','sms'])[1 + g % 2],
                       case when g % 5 = 0 then null else 'ops@example.com' end, 'sent', now()
                """ + perAlert, tenant, notifications, tenant);
    }

    /** Per table of the database: "count:sum(hashtext(row))" of the tenant's rows, into {@code into} as "db/table". */
    static void checksums(Connection db, String label, List<String> tables, UUID tenant, Map<String, String> into) throws SQLException {
        for (String table : tables) {
            try (PreparedStatement statement = db.prepareStatement(
                    "select count(*), coalesce(sum(hashtext(t::text)::bigint), 0) from " + table + " t where tenant_id = ?")) {
                statement.setObject(1, tenant);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    into.put(label + "/" + table, rs.getLong(1) + ":" + rs.getLong(2));
                }
            }
        }
    }

    /** Rows of the tenant per table, into {@code into} as "db/table". */
    static void counts(Connection db, String label, List<String> tables, UUID tenant, Map<String, Long> into) throws SQLException {
        for (String table : tables) {
            try (PreparedStatement statement = db.prepareStatement("select count(*) from " + table + " where tenant_id = ?")) {
                statement.setObject(1, tenant);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    into.put(label + "/" + table, rs.getLong(1));
                }
            }
        }
    }
}
