package dev.tenantdeletion.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Direct JDBC access to the current test database, for seeding and for checking what the service did. */
public final class TestDb {

    private TestDb() {
    }

    public static PostgresServer server() {
        return PostgresServer.fromEnvironment();
    }

    public static String database() {
        String database = System.getProperty(PostgresTestDatabase.DATABASE_PROPERTY);
        if (database == null) {
            throw new IllegalStateException("no test database: annotate the test with @WithTestResource(PostgresTestDatabase.class)");
        }
        return database;
    }

    public static Connection connect() {
        try {
            return server().connect(database());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one parameterised statement on a seeder's connection. */
    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /**
     * The tenant-data tables of the connection's schema as the catalog shows them (every base table with a tenant_id
     * column, the engine's own deletion_receipts excepted), each before the tables it references: a table added later
     * is counted, checksummed and deleted by the tests without anyone listing it.
     */
    public static List<String> tenantTables(Connection connection) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        Map<String, Set<String>> referrers = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("""
                    select c.table_name from information_schema.columns c
                      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                     where c.column_name = 'tenant_id' and c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                       and c.table_name <> 'deletion_receipts'
                     order by 1""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            try (ResultSet rs = statement.executeQuery("""
                    select parent.relname, child.relname from pg_constraint con
                      join pg_class child on child.oid = con.conrelid join pg_class parent on parent.oid = con.confrelid
                     where con.contype = 'f' and child.relnamespace = current_schema()::regnamespace
                       and parent.relname <> child.relname""")) {
                while (rs.next()) {
                    referrers.computeIfAbsent(rs.getString(1), p -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        // children first: repeatedly the first table (by name) that no remaining table references
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < tables.size()) {
            String next = tables.stream().filter(t -> !ordered.contains(t))
                    .filter(t -> referrers.getOrDefault(t, Set.of()).stream().noneMatch(c -> tables.contains(c) && !ordered.contains(c)))
                    .findFirst().orElseThrow(() -> new IllegalStateException("foreign keys form a cycle among " + tables));
            ordered.add(next);
        }
        return ordered;
    }

    /** Rows of the tenant per table, in the current test database. */
    public static Map<String, Long> counts(List<String> tables, UUID tenant) {
        try (Connection connection = connect()) {
            return counts(connection, tables, tenant);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of the tenant per table, on any connection. */
    public static Map<String, Long> counts(Connection connection, List<String> tables, UUID tenant) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        perTable(connection, "select count(*) from %s where tenant_id = ?", tables, tenant,
                (table, rs) -> counts.put(table, rs.getLong(1)));
        return counts;
    }

    /** A per-table fingerprint of the tenant's rows in the current test database: any change to any row changes it. */
    public static Map<String, String> checksums(List<String> tables, UUID tenant) {
        try (Connection connection = connect()) {
            return checksums(connection, tables, tenant);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A per-table fingerprint of the tenant's rows ("count:sum of row hashes"), on any connection. */
    public static Map<String, String> checksums(Connection connection, List<String> tables, UUID tenant) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        perTable(connection, "select count(*), coalesce(sum(hashtext(t::text)::bigint), 0) from %s t where tenant_id = ?",
                tables, tenant, (table, rs) -> sums.put(table, rs.getLong(1) + ":" + rs.getLong(2)));
        return sums;
    }

    private interface RowReader {
        void read(String table, ResultSet rs) throws SQLException;
    }

    private static void perTable(Connection connection, String sqlPattern, List<String> tables, UUID tenant, RowReader reader)
            throws SQLException {
        for (String table : tables) {
            try (PreparedStatement statement = connection.prepareStatement(String.format(sqlPattern, table))) {
                statement.setObject(1, tenant);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    reader.read(table, rs);
                }
            }
        }
    }

    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
