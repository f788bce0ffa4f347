package dev.tenantdeletion.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.RawDeletes;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
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
            RawDeletes.delete(db, tables(), tenant, checks);
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
