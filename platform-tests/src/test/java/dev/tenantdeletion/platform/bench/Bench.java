package dev.tenantdeletion.platform.bench;

import static dev.tenantdeletion.platform.bench.BenchReport.millis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.platform.Platform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What every measure of the benchmark shares: the running {@link Platform}, the apps' environments as started, the
 * report, the data on the service databases ({@link BenchData}), HTTP to the apps, their metrics, and running a job.
 */
final class Bench {

    static final Set<String> FINAL = Set.of("completed", "partially_failed", "failed");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Platform platform;
    final BenchReport report;
    final BenchData data;
    /** Per app label, the environment of its first start (restarts start from a copy). */
    final Map<String, Map<String, String>> env = new LinkedHashMap<>();

    Bench(Platform platform, BenchReport report) {
        this.platform = platform;
        this.report = report;
        this.data = new BenchData(platform, this::log);
    }

    // ------------------------------------------------------------------ HTTP

    static HttpResponse<String> get(String uri, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String uri, String token, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String serviceUri(String label, String path) {
        return platform.serviceUri(label, path);
    }

    String orchestratorUri(String path) {
        return platform.baseUri("orchestrator") + path;
    }

    // ------------------------------------------------------------------ jobs

    /**
     * A finished job and two clocks: {@code toFinalStatus} runs from the moment the POST was sent to the job's own
     * {@code completed_at} (when the orchestrator committed the final status; same machine, same clock), {@code polled}
     * to when this client's polling saw it, which adds up to one polling interval.
     */
    record Job(JsonNode json, double toFinalStatus, double polled) {
    }

    Job runJob(UUID tenant, String token, Duration timeout, int pollMillis) throws Exception {
        Instant posted = Instant.now();
        long started = System.nanoTime();
        HttpResponse<String> created = post(orchestratorUri("/api/v1/deletion-jobs"), token,
                "{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Benchmark\",\"reason\":\"benchmark\"}");
        assertEquals(202, created.statusCode(), created.body());
        String jobId = JSON.readTree(created.body()).path("job_id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(orchestratorUri("/api/v1/deletion-jobs/" + jobId), token);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode job = JSON.readTree(response.body());
            if (FINAL.contains(job.path("status").asText())) {
                double polled = millis(System.nanoTime() - started);
                Instant completed = Instant.parse(job.path("completed_at").asText());
                return new Job(job, Duration.between(posted, completed).toNanos() / 1e6, polled);
            }
            Thread.sleep(pollMillis);
        }
        fail("job " + jobId + " not final within " + timeout + "\n" + platform.app("orchestrator").tail());
        return null;
    }

    /**
     * The service's health details must say {@code fk-checks: fast}: its role really may take the engine's fast path (no
     * superuser, the parameter granted), else the job would be measured on the trigger path. Returns the value. (The
     * public /q/health/ready carries no details since the third edition: {base}/health-details, service tokens only.)
     */
    String fastForeignKeyChecks(String label) throws IOException, InterruptedException {
        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(platform.serviceUri(label, "/health-details")))
                .header("Authorization", "Bearer " + Platform.token(label)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
            JsonNode mode = check.path("data").path("fk-checks");
            if (!mode.isMissingNode()) {
                assertEquals("fast", mode.asText(), Platform.name(label) + " would not take the fast foreign-key checks: " + ready.body());
                return mode.asText();
            }
        }
        return fail(Platform.name(label) + "'s readiness does not say its fk-checks mode: " + ready.body());
    }

    // ------------------------------------------------------------------ metrics and the machine

    /** Per service: {delete sum s, delete count, preview sum s, preview count} from its /q/metrics. */
    Map<String, double[]> serviceTimers() throws IOException, InterruptedException {
        Map<String, double[]> timers = new LinkedHashMap<>();
        for (String label : Platform.SERVICES) {
            String text = scrape(label);
            timers.put(label, new double[] {metric(text, "tenant_deletion_duration_seconds_sum"),
                    metric(text, "tenant_deletion_duration_seconds_count"), metric(text, "tenant_deletion_preview_duration_seconds_sum"),
                    metric(text, "tenant_deletion_preview_duration_seconds_count")});
        }
        return timers;
    }

    /** Orchestrator: {job duration sum s, count, service call sum s, count}. */
    double[] orchestratorTimers() throws IOException, InterruptedException {
        String text = scrape("orchestrator");
        return new double[] {metric(text, "deletion_job_duration_seconds_sum"), metric(text, "deletion_job_duration_seconds_count"),
                metric(text, "deletion_service_call_duration_seconds_sum"), metric(text, "deletion_service_call_duration_seconds_count")};
    }

    private String scrape(String label) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.baseUri(label) + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** CPU seconds (user + system) of every app process, and of all PostgreSQL processes as "postgres". */
    Map<String, Double> cpuSeconds() {
        return cpuSeconds(platform);
    }

    /** {@link #cpuSeconds()} of any running platform. */
    static Map<String, Double> cpuSeconds(Platform platform) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (String label : Platform.APPS) {
            cpu.put(label, cpuOf(platform.app(label).process().pid()));
        }
        double postgres = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).trim().startsWith("postgres")) {
                        postgres += cpuOf(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // process ended meanwhile
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
        cpu.put("postgres", postgres);
        return cpu;
    }

    private static double cpuOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in USER_HZ
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ options

    /** Polling a big job often only loads the two cores the deletion needs; the time comes from completed_at anyway. */
    static int pollMillis() {
        return Integer.getInteger("bench.poll.ms", 100);
    }

    static String jvmOptions() {
        return System.getProperty("bench.jvm.options", "").trim();
    }

    void log(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
