package dev.tenantdeletion.platform.bench;

import static dev.tenantdeletion.platform.bench.BenchReport.fmt;
import static dev.tenantdeletion.platform.bench.BenchReport.millis;
import static dev.tenantdeletion.platform.bench.BenchReport.percentile;
import static dev.tenantdeletion.platform.bench.BenchReport.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantdeletion.platform.Platform;
import dev.tenantdeletion.testing.RawDeletes;
import dev.tenantdeletion.testing.TestDb;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deletions timed: (a) and (d) a job through the orchestrator, POST to the job's {@code completed_at}, against
 * (b) the same children-first DELETEs over JDBC on the three databases in parallel, PostgreSQL's RI triggers checking
 * every deleted parent row, and (b') the same with the triggers off plus the engine's set-based checks (issue 16);
 * (a') the services' own DELETEs without a budget; and jobs for empty tenants.
 */
final class JobBench {

    private final Bench bench;

    JobBench(Bench bench) {
        this.bench = bench;
    }

    /** POST → final status; returns milliseconds. Splits the time with the job's per-service duration_ms and metrics. */
    double orchestratedJob(int n, UUID tenant, String measure) throws Exception {
        Map<String, double[]> before = bench.serviceTimers();
        String token = Platform.token("orchestrator");
        int pollMillis = Bench.pollMillis();
        Bench.Job run = bench.runJob(tenant, token, Duration.ofMinutes(30), pollMillis);
        JsonNode job = run.json();
        double ms = run.toFinalStatus();
        assertEquals("completed", job.path("status").asText(), job.toString());
        assertTrue(job.path("verified").asBoolean(), "not verified: " + job);
        assertEquals((long) n, job.path("total_items_deleted").asLong(), job.toString());
        Map<String, double[]> after = bench.serviceTimers();
        StringBuilder split = new StringBuilder();
        double slowest = 0;
        for (JsonNode service : job.path("services")) {
            long duration = service.path("duration_ms").asLong();
            slowest = Math.max(slowest, duration);
            split.append(String.format(Locale.ROOT, " %s %d ms (attempts %d);", service.path("service").asText(), duration,
                    service.path("attempts").asInt()));
        }
        for (String label : Platform.SERVICES) {
            double[] b = before.get(label);
            double[] a = after.get(label);
            split.append(String.format(Locale.ROOT, " %s server-side: delete %.0f ms, verification preview %.1f ms;",
                    Platform.name(label), (a[0] - b[0]) * 1000, (a[2] - b[2]) * 1000 / Math.max(1, a[3] - b[3])));
        }
        bench.report.note(String.format(Locale.ROOT, "(%s) N=%,d: POST→%s (completed_at) %.0f ms, seen by polling every %d ms after "
                + "%.0f ms; slowest service DELETE %.0f ms, so orchestration (POST, claim, fan-out, verification, job writes) "
                + "≈ %.0f ms;%s", measure, n, job.path("status").asText(), ms, pollMillis, run.polled(), slowest, ms - slowest, split));
        bench.log("(%s) N=%,d job %.0f ms:%s", measure, n, ms, split);
        return ms;
    }

    /** Empty tenant: POST → completed, 20 jobs for fresh tenants (3 more first, as warm-up). */
    void emptyTenantJobs() throws Exception {
        String token = Platform.token("orchestrator");
        for (int i = 0; i < 3; i++) {
            bench.runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10);
        }
        List<Double> times = new ArrayList<>();
        List<Double> polled = new ArrayList<>();
        double[] before = bench.orchestratorTimers();
        for (int i = 0; i < 20; i++) {
            Bench.Job run = bench.runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10);
            JsonNode job = run.json();
            times.add(run.toFinalStatus());
            polled.add(run.polled());
            assertEquals("completed", job.path("status").asText(), job.toString());
            assertTrue(job.path("verified").asBoolean(), job.toString());
        }
        double median = percentile(times, 50);
        bench.report.add("empty tenant job POST→completed_at, median (p90) of 20", "0",
                fmt(median) + " (p90 " + fmt(percentile(times, 90)) + ")", "–", "–", "median ≤ 60 ms", yes(median <= 60));
        double[] after = bench.orchestratorTimers();
        bench.report.note(String.format(Locale.ROOT, "empty tenant jobs: orchestrator's own deletion_job_duration_seconds mean %.1f ms, "
                + "deletion_service_call_duration_seconds (one DELETE call) mean %.1f ms; POST→completed_at (ms, in order): %s; "
                + "seen by polling every 10 ms, median %.1f ms",
                (after[0] - before[0]) * 1000 / Math.max(1, after[1] - before[1]),
                (after[2] - before[2]) * 1000 / Math.max(1, after[3] - before[3]),
                times.stream().map(BenchReport::fmt).toList(), percentile(polled, 50)));
    }

    /**
     * (a'): each service's own DELETE without a budget (the engine's one transaction, fast foreign-key checks), the
     * three called directly and in parallel: what a job costs without the contract's budgeted batches; milliseconds.
     */
    double oneTransactionDeletes(int n, UUID tenant) throws Exception {
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (String label : Platform.SERVICES) {
            calls.put(label, Bench.HTTP.sendAsync(HttpRequest.newBuilder(
                            URI.create(bench.platform.serviceUri(label, "/tenant/" + tenant)))
                    .header("Authorization", "Bearer " + Platform.token(label)).timeout(Duration.ofMinutes(5)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long rows = 0;
        StringBuilder split = new StringBuilder();
        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> call : calls.entrySet()) {
            HttpResponse<String> response = call.getValue().get();
            assertEquals(200, response.statusCode(), call.getKey() + ": " + response.body());
            JsonNode summary = Bench.JSON.readTree(response.body()).path("summary");
            assertTrue(summary.path("complete").asBoolean(), response.body());
            rows += summary.path("total_deleted").asLong();
            split.append(String.format(Locale.ROOT, " %s %d ms (server);", call.getKey(), summary.path("duration_ms").asLong()));
        }
        double ms = millis(System.nanoTime() - started);
        assertEquals((long) n, rows, "(a') rows deleted");
        bench.report.note(String.format(Locale.ROOT, "(a') N=%,d: the services' DELETE without a budget (one transaction each), "
                + "called in parallel: %.0f ms;%s", n, ms, split));
        bench.log("(a') N=%,d one-transaction DELETEs %.0f ms:%s", n, ms, split);
        return ms;
    }

    /** (b): PostgreSQL's own limit with its RI triggers; returns milliseconds. */
    double rawDelete(int n, UUID tenant) throws Exception {
        return rawDelete(n, tenant, false);
    }

    /**
     * The tenant lock and the children-first DELETEs ({@link RawDeletes}) of each service database in one transaction,
     * the three databases in parallel: (b) with the RI triggers, (b') with {@code checks}: the triggers off for the
     * transaction and the same set-based checks as the engine's fast path; returns milliseconds.
     */
    double rawDelete(int n, UUID tenant, boolean checks) throws Exception {
        String measure = checks ? "(b')" : "(b)";
        Map<String, Connection> connections = new LinkedHashMap<>();
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String label : Platform.SERVICES) {
            Connection db = bench.platform.connect(label);
            db.setAutoCommit(false);
            connections.put(label, db);
            tables.put(label, TestDb.tenantTables(db));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Map<String, Future<double[]>> futures = new LinkedHashMap<>();
            for (String label : Platform.SERVICES) {
                Connection db = connections.get(label);
                futures.put(label, pool.submit(() -> {
                    go.await();
                    long started = System.nanoTime();
                    try (PreparedStatement lock = db.prepareStatement("select pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, tenant.getMostSignificantBits() ^ tenant.getLeastSignificantBits());
                        lock.execute();
                    }
                    long rows = RawDeletes.delete(db, tables.get(label), tenant, checks);
                    db.commit();
                    return new double[] {millis(System.nanoTime() - started), rows};
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            long rows = 0;
            StringBuilder split = new StringBuilder();
            for (Map.Entry<String, Future<double[]>> entry : futures.entrySet()) {
                double[] result = entry.getValue().get();
                rows += (long) result[1];
                split.append(String.format(Locale.ROOT, " %s %.0f ms;", entry.getKey(), result[0]));
            }
            double ms = millis(System.nanoTime() - started);
            assertEquals((long) n, rows, measure + " raw DELETE rows");
            bench.report.note(String.format(Locale.ROOT, "%s N=%,d: raw parallel DELETEs%s %.0f ms, per database:%s", measure, n,
                    checks ? " (triggers off, set-based checks)" : "", ms, split));
            bench.log("%s N=%,d raw %.0f ms:%s", measure, n, ms, split);
            return ms;
        } finally {
            pool.shutdownNow();
            for (Connection db : connections.values()) {
                db.close();
            }
        }
    }
}
