package dev.tenantdeletion.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Run on demand (docs/benchmarks.md, "Foreign-key checks"): the one-transaction DELETE of a pos tenant of
 * {@code bench.rows} rows next to two neighbours of the same size, against (b) the raw children-first DELETEs with
 * PostgreSQL's RI triggers and (b') the raw DELETEs with the triggers off plus the same set-based checks the engine
 * runs (ids returned by the DELETEs, one {@code = any(ids)} probe per foreign key). Each on its own tenant of the
 * same size; counts exact and neighbours intact in every run.
 */
@QuarkusTest
@WithTestResource(PostgresTestDatabase.class)
class PosForeignKeyBenchmark extends ServiceTestSupport {

    @Override
    protected TenantSeeder seeder() {
        return new PosSeeder();
    }

    @Test
    void deleteAgainstRawDeletes() throws SQLException {
        int rows = Integer.getInteger("bench.rows", 100_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID());
        neighbours.forEach(n -> seed(n, rows));
        Map<UUID, Map<String, String>> neighboursBefore = checksums(neighbours);
        List<Double> jobs = new ArrayList<>();
        List<Double> withTriggers = new ArrayList<>();
        List<Double> withChecks = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            UUID job = seededTenant(rows);
            UUID b = seededTenant(rows);
            UUID bPrime = seededTenant(rows);
            TestDb.execute("vacuum analyze");
            long seeded = TestDb.total(counts(job));
            double rawTriggers = timed(() -> rawDeletes(b, false));
            double rawChecks = timed(() -> rawDeletes(bPrime, true));
            long start = System.nanoTime();
            Response response = delete(TestTokens.service(), job);
            double jobMs = (System.nanoTime() - start) / 1e6;
            response.then().statusCode(200);
            assertEquals(seeded, response.jsonPath().getLong("summary.total_deleted"));
            for (UUID tenant : List.of(job, b, bPrime)) {
                assertEquals(0L, TestDb.total(counts(tenant)));
            }
            assertEquals(neighboursBefore, checksums(neighbours), "a neighbour changed");
            jobs.add(jobMs);
            withTriggers.add(rawTriggers);
            withChecks.add(rawChecks);
            lines.add(String.format("| %d | %,d | %.0f | %.0f | %.0f | %.2f | %.2f |", round, seeded, jobMs, rawTriggers, rawChecks,
                    jobMs / rawTriggers, jobMs / rawChecks));
        }
        System.out.printf("%npos: tenant of %,d rows next to 2 neighbours of %,d rows each%n", rows, rows);
        System.out.println("| round | rows | job DELETE ms (HTTP) | (b) raw DELETEs, triggers ms | (b') raw DELETEs, triggers off + checks ms | job/(b) | job/(b') |");
        System.out.println("|---|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
        System.out.printf("| median | | %.0f | %.0f | %.0f | %.2f | %.2f |%n%n", median(jobs), median(withTriggers), median(withChecks),
                median(jobs) / median(withTriggers), median(jobs) / median(withChecks));
    }

    /** Children first in one transaction over JDBC; with {@code checks}, the engine's fast path written out by hand. */
    private void rawDeletes(UUID tenant, boolean checks) {
        try (Connection db = TestDb.connect()) {
            db.setAutoCommit(false);
            Map<String, List<String[]>> referencing = checks ? foreignKeys(db) : Map.of();
            Map<String, List<Object>> deleted = new LinkedHashMap<>();
            try (Statement statement = db.createStatement()) {
                if (checks) {
                    statement.execute("set local session_replication_role = replica");
                }
                for (String table : tables()) {
                    boolean returning = referencing.containsKey(table);
                    try (PreparedStatement delete = db.prepareStatement("delete from " + table + " where tenant_id = ?"
                            + (returning ? " returning id" : ""))) {
                        delete.setObject(1, tenant);
                        if (returning) {
                            List<Object> ids = new ArrayList<>();
                            try (ResultSet rs = delete.executeQuery()) {
                                while (rs.next()) {
                                    ids.add(rs.getObject(1));
                                }
                            }
                            deleted.put(table, ids);
                        } else {
                            delete.executeUpdate();
                        }
                    }
                }
                if (checks) {
                    statement.execute("set local session_replication_role = origin");
                    for (Map.Entry<String, List<Object>> parent : deleted.entrySet()) {
                        Array ids = db.createArrayOf("uuid", parent.getValue().toArray());
                        for (String[] fk : referencing.get(parent.getKey())) {
                            try (PreparedStatement check = db.prepareStatement("select 1 from " + fk[0] + " c where c." + fk[1]
                                    + " = any(?) limit 1")) {
                                check.setArray(1, ids);
                                try (ResultSet rs = check.executeQuery()) {
                                    if (rs.next()) {
                                        throw new IllegalStateException("dangling reference through " + fk[0] + "." + fk[1]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parent table → (child table, column) of every foreign key into it. */
    private static Map<String, List<String[]>> foreignKeys(Connection db) throws SQLException {
        Map<String, List<String[]>> keys = new LinkedHashMap<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery("""
                select parent.relname, child.relname, a.attname from pg_constraint con
                  join pg_class child on child.oid = con.conrelid join pg_class parent on parent.oid = con.confrelid
                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
                 where con.contype = 'f' and parent.relnamespace = 'public'::regnamespace""")) {
            while (rs.next()) {
                keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return keys;
    }

    private static double timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
