package dev.tenantdeletion.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TestDb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a benchmark run on demand against the packaged jar with the production JVM options and a GC log
 * (docs/benchmarks.md, "Heap per call"): (1) one-transaction DELETEs of tenants of {@code bench.sizes} rows (a fifth
 * of them sessions, which transactions reference), the collections during each call and the largest heap after one;
 * (2) {@code bench.concurrent} concurrent budgeted DELETEs (the orchestrator's calls: a key and max_duration_ms, called
 * again while complete=false) of tenants of {@code bench.concurrent-rows} rows. Counts exact in every run.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresTestDatabase.class)
class PosHeapBenchmark {

    @Test
    void heapOfOneTransactionDeletes() throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String size : System.getProperty("bench.sizes", "100000,1000000,5000000").split(",")) {
            int rows = Integer.parseInt(size.trim());
            UUID tenant = UUID.randomUUID();
            Map<String, Long> seeded = seed(tenant, rows);
            int gcBefore = PackagedPos.gcLines().size();
            long start = System.nanoTime();
            HttpResponse<String> response = PackagedPos.delete(tenant, "", null);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(seeded, PackagedPos.deletedCounts(response.body()));
            List<String> gc = PackagedPos.gcLines();
            long[] heap = PackagedPos.heapAfterCollections(gc.subList(Math.min(gcBefore, gc.size()), gc.size()));
            lines.add(String.format("| %,d | %,d | %,d | %d | %d | %d |", rows, seeded.get("pos_sessions"), ms, heap[0], heap[1], heap[2]));
        }
        System.out.println("\n| tenant rows | of them sessions | DELETE ms (one transaction) | collections during the call "
                + "| largest heap after a collection, MB | largest heap before one, MB |");
        System.out.println("|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
    }

    @Test
    void concurrentBudgetedDeletes() throws Exception {
        int tenants = Integer.getInteger("bench.concurrent", 3);
        int rows = Integer.getInteger("bench.concurrent-rows", 1_000_000);
        if (tenants == 0) {
            return;
        }
        List<UUID> ids = new ArrayList<>();
        List<Map<String, Long>> seeded = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            UUID tenant = UUID.randomUUID();
            ids.add(tenant);
            seeded.add(seed(tenant, rows));
        }
        int gcBefore = PackagedPos.gcLines().size();
        ExecutorService callers = Executors.newFixedThreadPool(tenants);
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (UUID tenant : ids) {
            results.add(callers.submit(() -> {
                String key = "bench-" + UUID.randomUUID();
                long calls = 0;
                long callStart = System.nanoTime();
                while (true) {
                    calls++;
                    HttpResponse<String> response = PackagedPos.delete(tenant, "?max_duration_ms=30000", key);
                    assertEquals(200, response.statusCode(), response.body());
                    if (JsonPath.from(response.body()).getBoolean("summary.complete")) {
                        return new long[] {calls, (System.nanoTime() - callStart) / 1_000_000};
                    }
                }
            }));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            long[] result = results.get(i).get();
            lines.add(String.format("| %d | %,d | %d | %,d |", i + 1, rows, result[0], result[1]));
            assertEquals(0L, TestDb.total(TestDb.counts(List.copyOf(seeded.get(i).keySet()), ids.get(i))));
        }
        callers.shutdown();
        List<String> gc = PackagedPos.gcLines();
        long[] heap = PackagedPos.heapAfterCollections(gc.subList(Math.min(gcBefore, gc.size()), gc.size()));
        System.out.printf("%n%d concurrent budgeted DELETEs (max_duration_ms=30000, called again while complete=false), %d ms in all; "
                + "%d collections, largest heap after one %d MB, before one %d MB%n", tenants, (System.nanoTime() - start) / 1_000_000,
                heap[0], heap[1], heap[2]);
        System.out.println("| tenant | rows | calls | ms |");
        System.out.println("|---|---|---|---|");
        lines.forEach(System.out::println);
    }

    /** A fifth sessions, the rest transactions on them (and a configuration and 100 devices). */
    private static Map<String, Long> seed(UUID tenant, int rows) throws SQLException {
        try (Connection db = TestDb.connect()) {
            int sessions = rows / 5;
            Map<String, Long> seeded = PackagedPos.seed(db, tenant, sessions, rows - sessions - 101);
            TestDb.update(db, "analyze");
            return seeded;
        }
    }
}
