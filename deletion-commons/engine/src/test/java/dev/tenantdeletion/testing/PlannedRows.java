package dev.tenantdeletion.testing;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link TestDb}'s counts and fingerprints per planned table of a service's {@link DeletionPlan}. */
public final class PlannedRows {

    private PlannedRows() {
    }

    /** Rows of the tenant per planned table (a table reached through a parent: the rows whose path leads to the tenant). */
    public static Map<String, Long> counts(DeletionPlan plan, UUID tenant) {
        try (Connection connection = TestDb.connect()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            perTable(connection, plan, "select count(*) from %s", tenant, (table, rs) -> counts.put(table, rs.getLong(1)));
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per planned table, a fingerprint of the tenant's rows (through the path where there is one). */
    public static Map<String, String> checksums(DeletionPlan plan, UUID tenant) {
        try (Connection connection = TestDb.connect()) {
            Map<String, String> sums = new LinkedHashMap<>();
            perTable(connection, plan, "select count(*), coalesce(sum(hashtext(t0::text)::bigint), 0) from %s", tenant,
                    (table, rs) -> sums.put(table, rs.getLong(1) + ":" + rs.getLong(2)));
            return sums;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids of the tenant's rows of one planned table. */
    public static List<String> ids(DeletionPlan plan, String table, UUID tenant, Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select t0.id::text from " + tenantRows(plan, plan.table(table).orElseThrow()))) {
            statement.setObject(1, tenant);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /**
     * {@link #checksums}' fingerprint of rows given as JSON (an export's): PostgreSQL reads them back into the table's own
     * row type ({@code json_populate_recordset}), so the fingerprint matches the table's only when every value came out
     * typed and exact (numerics as exact text, timestamps with their offset, json as json).
     */
    public static String checksumOfJson(String table, String jsonArray) {
        try (Connection connection = TestDb.connect();
                PreparedStatement statement = connection.prepareStatement("select count(*), coalesce(sum(hashtext(t0::text)::bigint), 0) "
                        + "from json_populate_recordset(null::" + table + ", ?::json) t0")) {
            statement.setString(1, jsonArray);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1) + ":" + rs.getLong(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The tenant's rows of a planned table as a FROM … WHERE with one parameter (the tenant), written as joins up the
     * declared path ({@code items t0 join orders t1 on t1.id = t0.order_id … where tN.tenant_id = ?}) — on purpose
     * another formulation than the engine's nested sub-selects, so the tests do not check the engine with itself.
     */
    private static String tenantRows(DeletionPlan plan, PlannedTable table) {
        StringBuilder from = new StringBuilder(table.tableName() + " t0");
        PlannedTable current = table;
        int depth = 0;
        while (current.reachedThroughParent() && !current.hasTenantId()) { // a tenant_id of its own says whose a row is
            PlannedTable parent = plan.table(current.parent().table()).orElseThrow();
            from.append(" join ").append(parent.tableName()).append(" t").append(depth + 1).append(" on t").append(depth + 1)
                    .append(".id = t").append(depth).append('.').append(current.parent().foreignKeyColumn());
            current = parent;
            depth++;
        }
        return from + " where t" + depth + ".tenant_id = ?";
    }

    private static void perTable(Connection connection, DeletionPlan plan, String selectFrom, UUID tenant, RowReader reader)
            throws SQLException {
        for (PlannedTable table : plan.tables()) {
            try (PreparedStatement statement = connection.prepareStatement(String.format(selectFrom, tenantRows(plan, table)))) {
                statement.setObject(1, tenant);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    reader.read(table.tableName(), rs);
                }
            }
        }
    }

    private interface RowReader {
        void read(String table, ResultSet rs) throws SQLException;
    }
}
