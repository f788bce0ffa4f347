package dev.tenantdeletion.alerts;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TenantSeeder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** FK-consistent alerting rows, set-based; every fourth alert has no rule. */
public class AlertSeeder implements TenantSeeder {

    @Override
    public void seed(Connection db, UUID tenant, int rows) throws SQLException {
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

    @Override
    public String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException {
        update(db, """
                insert into alerts (id, tenant_id, rule_id, title)
                select gen_random_uuid(), ?, id, 'raised by a rule of another tenant' from alert_rules where tenant_id = ? limit 1""",
                other, tenant);
        return "alerts";
    }

    @Override
    public LateChild lateChild(UUID tenant) {
        return new LateChild("alert_rules", "alerts", "insert into alerts (id, tenant_id, rule_id, title) select gen_random_uuid(), tenant_id, id, 'late alert' from alert_rules where tenant_id = '%s' limit 1".formatted(tenant));
    }
}
