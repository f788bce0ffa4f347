package dev.tenantdeletion.platform;

import dev.tenantdeletion.alerts.AlertSeeder;
import dev.tenantdeletion.external.ExternalSeeder;
import dev.tenantdeletion.pos.PosSeeder;
import dev.tenantdeletion.testing.TestDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** FK-consistent, set-based rows for every table of the three services (their own test seeders), counts and checksums. */
final class Seeds {

    static final List<String> POS_TABLES = List.of("pos_transactions", "pos_sessions", "pos_devices", "pos_configurations");
    static final List<String> EXTERNAL_TABLES = List.of("external_api_logs", "api_key_usages", "external_data_cache");
    static final List<String> ALERT_TABLES = List.of("alert_notifications", "alert_history", "alerts", "alert_rules");

    private Seeds() {
    }

    static void pos(Connection db, UUID tenant, int rows) throws SQLException {
        new PosSeeder().seed(db, tenant, rows);
    }

    static void external(Connection db, UUID tenant, int rows) throws SQLException {
        new ExternalSeeder().seed(db, tenant, rows);
    }

    static void alerts(Connection db, UUID tenant, int rows) throws SQLException {
        new AlertSeeder().seed(db, tenant, rows);
    }

    /** Per table of the database: "count:sum(hashtext(row))" of the tenant's rows, into {@code into} as "db/table". */
    static void checksums(Connection db, String label, List<String> tables, UUID tenant, Map<String, String> into) throws SQLException {
        TestDb.checksums(db, tables, tenant).forEach((table, sum) -> into.put(label + "/" + table, sum));
    }

    /** Rows of the tenant per table, into {@code into} as "db/table". */
    static void counts(Connection db, String label, List<String> tables, UUID tenant, Map<String, Long> into) throws SQLException {
        TestDb.counts(db, tables, tenant).forEach((table, rows) -> into.put(label + "/" + table, rows));
    }
}
