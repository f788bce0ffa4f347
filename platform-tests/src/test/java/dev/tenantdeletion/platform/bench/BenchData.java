package dev.tenantdeletion.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.platform.Platform;
import dev.tenantdeletion.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's data on the three service databases: seeding N rows of a tenant over the services, VACUUM between
 * runs, and the check after every deletion (the tenant empty, every neighbour's per-table checksum unchanged), over
 * the tables the catalog shows.
 */
final class BenchData {

    /** Log lines, as the benchmark prints them. */
    interface Log {
        void log(String format, Object... args);
    }

    private final Platform platform;
    private final Log log;

    BenchData(Platform platform, Log log) {
        this.platform = platform;
        this.log = log;
    }

    /** Each tenant gets N rows: pos N − 2⌊N/3⌋, external and alerts ⌊N/3⌋ each; the three databases in parallel. */
    void seed(List<UUID> tenants, int n) throws Exception {
        int third = n / 3;
        Map<String, Integer> rows = Map.of("pos", n - 2 * third, "external", third, "alerts", third);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (String label : Platform.SERVICES) {
                futures.add(pool.submit(() -> {
                    platform.seed(label, tenants, rows.get(label));
                    return null;
                }));
            }
            for (Future<Void> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    void reseed(UUID tenant, int n) throws Exception {
        vacuumAnalyze(); // the deleted rows' dead tuples go before the same tenant is seeded again
        long started = System.nanoTime();
        seed(List.of(tenant), n);
        vacuumAnalyze(); // visibility map and statistics as after the first seeding
        log.log("re-seeded the tenant (%,d rows) in %d ms", n, Platform.millisSince(started));
    }

    void vacuumAnalyze() throws SQLException {
        forEveryTable("vacuum (analyze) %s");
    }

    /** The neighbours go; the next size starts from clean tables. */
    void emptyTables() throws SQLException {
        forEveryTable("delete from %s");
        vacuumAnalyze();
    }

    /** Autovacuum off on the benchmark's tables, so that VACUUM runs where the benchmark puts it (between runs) and never during a measurement. */
    void autovacuumOff() throws SQLException {
        forEveryTable("alter table %s set (autovacuum_enabled = false, toast.autovacuum_enabled = false)");
    }

    private void forEveryTable(String sql) throws SQLException {
        for (String label : Platform.SERVICES) {
            try (Connection db = platform.connect(label); Statement statement = db.createStatement()) {
                for (String table : TestDb.tenantTables(db)) {
                    statement.execute(String.format(sql, table));
                }
            }
        }
    }

    void checkDeleted(UUID tenant, List<UUID> neighbours, Map<String, String> neighbourSums) throws SQLException {
        Map<String, Long> left = counts(tenant);
        assertEquals(0L, TestDb.total(left), "rows of the deleted tenant left: " + left);
        Map<String, String> now = checksums(neighbours);
        assertEquals(neighbourSums, now, "a neighbour changed");
        assertTrue(now.values().stream().noneMatch(v -> v.startsWith("0:")), "a neighbour lost a table: " + now);
        log.log("checked: tenant empty in all %d tables, %d neighbours' %d per-table checksums unchanged", left.size(), neighbours.size(),
                now.size());
    }

    Map<String, Long> counts(UUID tenant) throws SQLException {
        return platform.counts(tenant);
    }

    /** Every tenant's per-table checksums, as "tenant/label/table". */
    Map<String, String> checksums(List<UUID> tenants) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (UUID tenant : tenants) {
            platform.checksums(tenant).forEach((k, v) -> sums.put(tenant + "/" + k, v));
        }
        return sums;
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of every count and DELETE, the DELETEs rolled back; into {@code dir}/explain-{tag}.txt. */
    void explain(UUID tenant, String tag, Path dir) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String label : Platform.SERVICES) {
            try (Connection db = platform.connect(label)) {
                List<String> tables = TestDb.tenantTables(db);
                String biggestLeaf = biggestLeaf(db, tables, tenant);
                db.setAutoCommit(false);
                for (String kind : List.of("select count(*) from %1$s where tenant_id = '%2$s'",
                        "delete from %1$s where tenant_id = '%2$s'",
                        "delete from %1$s where id in (select id from %1$s where tenant_id = '%2$s' limit 10000)")) {
                    for (String table : tables) {
                        if (kind.contains("limit") && !table.equals(biggestLeaf)) {
                            continue; // one batch of a parent would hit its children's foreign keys: the biggest child table only
                        }
                        String sql = String.format(kind, table, tenant);
                        out.append("---- ").append(label).append(": ").append(sql).append('\n');
                        try (Statement statement = db.createStatement();
                                ResultSet rs = statement.executeQuery("explain (analyze, buffers) " + sql)) {
                            while (rs.next()) {
                                out.append(rs.getString(1)).append('\n');
                            }
                        }
                    }
                    db.rollback();
                }
            }
        }
        Files.writeString(dir.resolve("explain-" + tag + ".txt"), out);
        vacuumAnalyze();
    }

    /** Of the tables no other table references (the first ones children first), the one with most rows of the tenant. */
    private static String biggestLeaf(Connection db, List<String> tables, UUID tenant) throws SQLException {
        Map<String, Long> counts = TestDb.counts(db, tables, tenant);
        String biggest = tables.get(0);
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(
                "select distinct confrelid::regclass::text from pg_constraint where contype = 'f' and conrelid <> confrelid")) {
            List<String> referenced = new ArrayList<>();
            while (rs.next()) {
                referenced.add(rs.getString(1));
            }
            for (String table : tables) {
                if (!referenced.contains(table) && counts.get(table) > counts.get(biggest)) {
                    biggest = table;
                }
            }
        }
        return biggest;
    }
}
