package dev.tenantdeletion.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sequential scans PostgreSQL counted per table of the schema under test ({@code pg_stat_user_tables.seq_scan}),
 * with every backend's counts in. A backend holds its counts until it has been idle a while (up to ten seconds), but
 * reports them when it exits: so the idle connections of the app under test are ended first (its pool opens new ones
 * at the next request).
 */
public final class TableScans {

    private static final String READ = """
            select relname::text, seq_scan from pg_stat_user_tables
             where schemaname = current_schema() and relname not in ('deletion_receipts', 'flyway_schema_history')""";
    private static final String END_IDLE = """
            select count(pg_terminate_backend(pid)) from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and state = 'idle'""";
    private static final String IDLE_LEFT = """
            select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'idle'""";

    private TableScans() {
    }

    /** Sequential scans so far per table, once the app's idle connections have reported theirs. */
    public static Map<String, Long> reported() {
        try (Connection connection = TestDb.connect(); Statement statement = connection.createStatement()) {
            statement.execute(END_IDLE);
            long until = System.currentTimeMillis() + 10_000;
            while (single(statement, IDLE_LEFT) > 0) {
                if (System.currentTimeMillis() > until) {
                    throw new IllegalStateException("idle connections of the app did not end within 10 s");
                }
                Thread.sleep(20);
            }
            Thread.sleep(200); // an ended backend leaves pg_stat_activity about when its counts arrive
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (Connection connection = TestDb.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(READ)) {
            Map<String, Long> scans = new TreeMap<>();
            while (rows.next()) {
                scans.put(rows.getString(1), rows.getLong(2));
            }
            return scans;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
