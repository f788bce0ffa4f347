package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a benchmark a service runs on demand (classes named *Benchmark are outside the default
 * test run). It seeds a tenant of {@code bench.rows} rows next to three neighbours of the same size,
 * times the service's preview and delete over HTTP, compares the preview with the raw count(*) queries,
 * checks the result, and prints a table. See docs/benchmarks.md for the command.
 */
public abstract class DeletionBenchmark extends ServiceTestSupport {

    private static final int WARM_UP = 200;
    private static final int SAMPLES = 50;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String token = TestTokens.service();

    @Test
    void previewAndDeleteAtScale() throws SQLException {
        int rows = Integer.getInteger("bench.rows", 100_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        long seedStart = System.nanoTime();
        neighbours.forEach(n -> seed(n, rows));
        analyze();
        long neighbourSeedMs = (System.nanoTime() - seedStart) / 1_000_000;
        Map<UUID, Map<String, String>> neighboursBefore = checksums(neighbours);

        List<String> lines = new ArrayList<>();
        List<Double> previews = new ArrayList<>();
        List<Double> raws = new ArrayList<>();
        List<Double> deletes = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            UUID tenant = UUID.randomUUID();
            seed(tenant, rows);
            analyze();
            long seeded = TestDb.total(counts(tenant));
            double preview;
            double raw;
            try (Connection db = TestDb.connect()) {
                Runnable ours = () -> send("GET", "/tenant/" + tenant + "/deletion-preview", 200);
                Runnable theirs = () -> rawCounts(db, tenant);
                // warm-up of both sides (the JIT compiles the paths of this data size first), then alternate them
                for (int i = 0; i < WARM_UP; i++) {
                    ours.run();
                    theirs.run();
                }
                List<Double> previewTimes = new ArrayList<>();
                List<Double> rawTimes = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    previewTimes.add(millis(ours));
                    rawTimes.add(millis(theirs));
                }
                preview = median(previewTimes);
                raw = median(rawTimes);
            }
            long start = System.nanoTime();
            JsonPath deleted = JsonPath.from(send("DELETE", "/tenant/" + tenant, 200));
            double delete = (System.nanoTime() - start) / 1e6;
            assertEquals(seeded, deleted.getLong("summary.total_deleted"));
            assertEquals(0L, TestDb.total(counts(tenant)));
            assertEquals(neighboursBefore, checksums(neighbours), "a neighbour changed");
            previews.add(preview);
            raws.add(raw);
            deletes.add(delete);
            lines.add(String.format("| %s | %d | %,d | %.1f | %.1f | %.2f | %.0f | %d |", serviceName, round, seeded,
                    preview, raw, preview / raw, delete, deleted.getLong("summary.duration_ms")));
        }
        System.out.printf("%n%s: tenant of %,d rows next to 3 neighbours of %,d rows each (neighbours seeded in %d ms)%n",
                serviceName, rows, rows, neighbourSeedMs);
        System.out.println("| service | round | rows deleted | preview ms (median of " + SAMPLES + " after " + WARM_UP + " warm-up calls, HTTP incl. JWT check) | raw count(*) ms (JDBC, open connection) | ratio | delete ms (HTTP) | delete ms (server) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
        System.out.printf("| %s | median | | %.1f | %.1f | %.2f | %.0f | |%n%n", serviceName, median(previews), median(raws),
                median(previews) / median(raws), median(deletes));
    }

    /** The same count(*) statements, on an open connection: PostgreSQL's own time plus one round trip each. */
    private void rawCounts(Connection db, UUID tenant) {
        try {
            TestDb.counts(db, tables(), tenant);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Timed calls go through one keep-alive JDK client with one token, so the figures are the service's, not the test client's. */
    private String send(String method, String path, int status) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + basePath + path))
                    .header("Authorization", "Bearer " + token)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode(), response.body());
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void analyze() {
        TestDb.execute("analyze");
    }

    private static double millis(Runnable action) {
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
