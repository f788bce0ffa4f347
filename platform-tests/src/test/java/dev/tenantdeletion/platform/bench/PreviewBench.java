package dev.tenantdeletion.platform.bench;

import static dev.tenantdeletion.platform.bench.BenchReport.millis;
import static dev.tenantdeletion.platform.bench.BenchReport.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.platform.Platform;
import dev.tenantdeletion.testing.TestDb;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** Previews timed: (c) each service's preview over HTTP against its raw count(*) statements, (e) throughput of 16 clients. */
final class PreviewBench {

    private static final int PREVIEW_WARM_UP = 200;
    private static final int PREVIEW_SAMPLES = 50;

    private final Bench bench;

    PreviewBench(Bench bench) {
        this.bench = bench;
    }

    /** (c) previews against the raw counts. */
    void previews(int n, UUID tenant) throws Exception {
        for (String label : Platform.SERVICES) {
            String token = Platform.token(label);
            String uri = bench.serviceUri(label, "/tenant/" + tenant + "/deletion-preview");
            try (Connection db = bench.platform.connect(label)) {
                List<PreparedStatement> counts = new ArrayList<>();
                for (String table : TestDb.tenantTables(db)) {
                    PreparedStatement statement = db.prepareStatement("select count(*) from " + table + " where tenant_id = ?");
                    statement.setObject(1, tenant);
                    counts.add(statement);
                }
                long expected = 0;
                // warm-up of both sides, this client's included: the JIT compiles the paths of this data size first
                for (int i = 0; i < PREVIEW_WARM_UP; i++) {
                    assertEquals(200, Bench.get(uri, token).statusCode());
                    expected = runCounts(counts);
                }
                double floor = httpFloor(label);
                double[] timersBefore = bench.serviceTimers().get(label);
                List<Double> ours = new ArrayList<>();
                List<Double> raw = new ArrayList<>();
                for (int i = 0; i < PREVIEW_SAMPLES; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> preview = Bench.get(uri, token);
                    ours.add(millis(System.nanoTime() - started));
                    assertEquals(200, preview.statusCode(), preview.body());
                    assertEquals(expected, Bench.JSON.readTree(preview.body()).path("total_items").asLong(), preview.body());
                    started = System.nanoTime();
                    runCounts(counts);
                    raw.add(millis(System.nanoTime() - started));
                }
                double[] timersAfter = bench.serviceTimers().get(label);
                double serverSide = (timersAfter[2] - timersBefore[2]) * 1000 / Math.max(1, timersAfter[3] - timersBefore[3]);
                for (PreparedStatement statement : counts) {
                    statement.close();
                }
                double o = percentile(ours, 50);
                double r = percentile(raw, 50);
                bench.report.row("(c) preview " + Platform.name(label) + " (median of " + PREVIEW_SAMPLES + ", HTTP+JWT) vs raw count(*)", n,
                        o, r, 1.25, "≤ 1.25 × raw");
                bench.report.note(String.format(Locale.ROOT, "(c) N=%,d %s: HTTP preview median %.2f ms (p90 %.2f), server-side preview "
                        + "timer mean %.2f ms, raw counts (%d statements, JDBC) median %.2f ms (p90 %.2f) for %d rows; this client's "
                        + "HTTP floor (GET /q/health/live, no token, no database) median %.2f ms", n, Platform.name(label), o,
                        percentile(ours, 90), serverSide, counts.size(), r, percentile(raw, 90), expected, floor));
            }
        }
    }

    /** What one HTTP round trip of this client costs without any work behind it: median of GET /q/health/live. */
    private double httpFloor(String label) throws Exception {
        URI live = URI.create(bench.platform.baseUri(label) + "/q/health/live");
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < PREVIEW_WARM_UP + PREVIEW_SAMPLES; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = Bench.HTTP.send(HttpRequest.newBuilder(live).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (i >= PREVIEW_WARM_UP) {
                times.add(millis(System.nanoTime() - started));
            }
            assertEquals(200, response.statusCode());
        }
        return percentile(times, 50);
    }

    private static long runCounts(List<PreparedStatement> counts) throws SQLException {
        long total = 0;
        for (PreparedStatement statement : counts) {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                total += rs.getLong(1);
            }
        }
        return total;
    }

    /** (e) throughput of previews, 16 clients for {@code bench.throughput.seconds}, round-robin over the services. */
    void throughput(int n, UUID tenant) throws Exception {
        int clients = 16;
        long seconds = Long.getLong("bench.throughput.seconds", 20);
        List<String> uris = Platform.SERVICES.stream().map(l -> bench.serviceUri(l, "/tenant/" + tenant + "/deletion-preview")).toList();
        List<String> tokens = Platform.SERVICES.stream().map(Platform::token).toList();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong errors = new AtomicLong();
        List<List<Double>> latencies = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            long[] window = new long[1];
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                List<Double> mine = new ArrayList<>();
                latencies.add(mine);
                int offset = c;
                futures.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    long end = window[0] + seconds * 1_000_000_000L;
                    for (int i = offset; System.nanoTime() < end; i++) {
                        long started = System.nanoTime();
                        HttpResponse<String> response = Bench.get(uris.get(i % uris.size()), tokens.get(i % uris.size()));
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        mine.add(millis(System.nanoTime() - started));
                    }
                    return null;
                }));
            }
            Map<String, double[]> timersBefore = bench.serviceTimers();
            Map<String, Double> cpuBefore = bench.cpuSeconds();
            window[0] = System.nanoTime();
            go.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            double elapsed = millis(System.nanoTime() - window[0]) / 1000;
            List<Double> all = new ArrayList<>();
            latencies.forEach(all::addAll);
            double rps = all.size() / elapsed;
            String text = String.format(Locale.ROOT, "%.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors", rps,
                    percentile(all, 50), percentile(all, 99), errors.get());
            bench.report.add("(e) preview throughput, 16 clients × " + seconds + " s, round-robin over the 3 services",
                    String.format(Locale.ROOT, "%,d", n), text, "–", "–", "(no target)", errors.get() == 0 ? "–" : "ERRORS");
            bench.log("(e) N=%,d %s", n, text);
            Map<String, double[]> timersAfter = bench.serviceTimers();
            Map<String, Double> cpuAfter = bench.cpuSeconds();
            StringBuilder split = new StringBuilder();
            for (String label : Platform.SERVICES) {
                double[] b = timersBefore.get(label);
                double[] a = timersAfter.get(label);
                split.append(String.format(Locale.ROOT, " %s: %.0f previews, server-side mean %.1f ms, CPU %.1f s (%.0f %% of one core);",
                        Platform.name(label), a[3] - b[3], (a[2] - b[2]) * 1000 / Math.max(1, a[3] - b[3]),
                        cpuAfter.get(label) - cpuBefore.get(label), 100 * (cpuAfter.get(label) - cpuBefore.get(label)) / elapsed));
            }
            bench.report.note(String.format(Locale.ROOT, "(e) N=%,d: %s; PostgreSQL backends CPU %.1f s; machine load average after: %s;%s",
                    n, text, cpuAfter.get("postgres") - cpuBefore.get("postgres"), Bench.loadAverage(), split));
            assertEquals(0, errors.get(), "preview errors under load");
        } finally {
            pool.shutdownNow();
        }
    }
}
