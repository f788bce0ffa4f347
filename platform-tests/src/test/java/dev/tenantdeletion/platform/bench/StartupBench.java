package dev.tenantdeletion.platform.bench;

import static dev.tenantdeletion.platform.bench.BenchReport.fmt;
import static dev.tenantdeletion.platform.bench.BenchReport.millis;
import static dev.tenantdeletion.platform.bench.BenchReport.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantdeletion.platform.App;
import dev.tenantdeletion.platform.Platform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * (f) The processes: the platform started one app at a time (start → ready of each, RSS at ready), services restarted
 * in another mode, RSS after the runs, and with {@code bench.lean.flags} a second start of every app with those JVM
 * flags and a small workload; and the machine the figures come from.
 */
final class StartupBench {

    private final Bench bench;
    /** The lean run's processes (App's flags are fixed, so these are started here). */
    private final Map<String, Process> lean = new LinkedHashMap<>();

    StartupBench(Bench bench) {
        this.bench = bench;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> lean.values().forEach(Process::destroyForcibly), "bench-lean-cleanup"));
    }

    /**
     * A database per app, each service's owned by its own non-superuser role that may set session_replication_role
     * (issue 16: the fast foreign-key checks as production would run them), every app started alone and timed as a pod
     * starts, then autovacuum off on the service tables.
     */
    void startPlatform() throws Exception {
        Platform platform = bench.platform;
        for (String label : Platform.SERVICES) {
            platform.createDatabaseWithItsOwnRole(label);
        }
        platform.createDatabase("orchestrator");
        for (String label : Platform.APPS) {
            Map<String, String> env = platform.environment(label);
            if (!Bench.jvmOptions().isEmpty()) {
                env.put("JAVA_TOOL_OPTIONS", Bench.jvmOptions());
            }
            bench.env.put(label, env);
        }
        Map<String, String> orch = bench.env.get("orchestrator");
        for (String label : Platform.SERVICES) {
            orch.put("DELETION_SERVICES_" + Platform.envName(label) + "_TIMEOUT", "900s"); // a big tenant is slow, not a timeout
        }
        orch.put("DELETION_RETRY_MAX_ATTEMPTS", "1"); // a failure must show, not be hidden by a retry

        // one at a time, as a pod starts: start-to-ready of each process alone on the machine
        for (String label : Platform.APPS) {
            double ms = platform.start(label, bench.env.get(label));
            bench.report.add("(f) start → /q/health/ready 200: " + Platform.name(label) + " (first start: migrates its schema)", "–",
                    fmt(ms), "–", "–", "≤ 2.5 s", yes(ms <= 2500));
            Path status = Path.of("/proc/" + platform.app(label).process().pid() + "/status");
            bench.report.note("(f) " + Platform.name(label) + " at ready: " + Files.readString(status).lines()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("").replaceAll("\\s+", " "));
        }
        for (String label : Platform.SERVICES) {
            bench.report.note(String.format(Locale.ROOT, "%s connects as role %s (not a superuser, owner of its database, granted SET "
                    + "on session_replication_role); readiness says fk-checks: %s", Platform.name(label),
                    bench.env.get(label).get("QUARKUS_DATASOURCE_USERNAME"), bench.fastForeignKeyChecks(label)));
        }
        // the services have migrated their schemas: VACUUM where the benchmark puts it, never during a measurement
        bench.data.autovacuumOff();
    }

    /**
     * Issue 27: the client connections each process holds when idle (40 s after the platform started, so Flyway's are
     * closed), from pg_stat_activity; then the four restarted together, start → every one ready (a deploy of the whole
     * platform; two shared cores), and their connections again once idle.
     */
    void idleConnectionsAndTogether() throws Exception {
        Platform platform = bench.platform;
        Thread.sleep(40_000);
        bench.report.note("(f) connections per idle process, 40 s after start-up: " + connections());
        List<App> apps = new ArrayList<>();
        for (String label : Platform.APPS) {
            platform.app(label).stop();
        }
        long started = System.nanoTime();
        for (String label : Platform.APPS) {
            App app = platform.app(label, bench.env.get(label));
            app.start();
            apps.add(app);
        }
        for (App app : apps) {
            awaitReady(app.process(), app.baseUri());
        }
        double ms = millis(System.nanoTime() - started);
        bench.report.add("(f) the four started together: start → all ready", "–", fmt(ms), "–", "–", "≤ 3.5 s", yes(ms <= 3500));
        for (String label : Platform.SERVICES) {
            warmUp(label);
        }
        Thread.sleep(40_000);
        bench.report.note("(f) connections per idle process after the joint restart and a warm-up, 40 s later: " + connections());
    }

    /** label → client connections on its database now. */
    private Map<String, Integer> connections() throws SQLException {
        Map<String, Integer> connections = new LinkedHashMap<>();
        try (Connection admin = Platform.SERVER.connectAdmin(); Statement statement = admin.createStatement()) {
            for (String label : Platform.APPS) {
                try (ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where datname = '"
                        + bench.platform.database(label) + "'")) {
                    rs.next();
                    connections.put(Platform.name(label), rs.getInt(1));
                }
            }
        }
        return connections;
    }

    /** Restarts the three services with {@code DELETION_BATCH_SIZE} (0: their default), each warmed up as the first ones were. */
    void restartServices(int batchSize) throws Exception {
        for (String label : Platform.SERVICES) {
            Map<String, String> env = new LinkedHashMap<>(bench.env.get(label));
            if (batchSize > 0) {
                env.put("DELETION_BATCH_SIZE", String.valueOf(batchSize));
            }
            double ms = bench.platform.start(label, env);
            bench.fastForeignKeyChecks(label);
            bench.report.note(String.format(Locale.ROOT, "(f) restart of %s with DELETION_BATCH_SIZE=%d: ready in %.0f ms",
                    Platform.name(label), batchSize, ms));
            warmUp(label);
        }
    }

    /** A restarted service gets the warm-up the first one had before (a) (previews, and DELETEs of empty tenants). */
    private void warmUp(String label) throws Exception {
        String token = Platform.token(label);
        for (int i = 0; i < 10; i++) {
            UUID nobody = UUID.randomUUID();
            assertEquals(200, Bench.get(bench.serviceUri(label, "/tenant/" + nobody + "/deletion-preview"), token).statusCode());
            HttpResponse<String> deleted = Bench.HTTP.send(HttpRequest.newBuilder(URI.create(bench.serviceUri(label, "/tenant/" + nobody)))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
        }
    }

    /**
     * (f) with lean JVM flags ({@code bench.lean.flags}; App's flags are fixed and a command-line -Xmx beats
     * JAVA_TOOL_OPTIONS, so these processes are started here): each app alone, start → ready, then a small
     * workload (previews, empty-tenant jobs, a 30,000-row job), then RSS.
     */
    void leanRun() throws Exception {
        List<String> flags = List.of(leanFlags().split("\\s+"));
        bench.report.note("lean run: JVM flags " + String.join(" ", flags));
        for (String label : Platform.APPS) {
            bench.platform.app(label).stop();
        }
        for (String label : Platform.APPS) {
            App app = bench.platform.app(label);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(flags);
            command.add("-jar");
            command.add(System.getProperty(Platform.name(label) + ".jar"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(App.JVM_ENVIRONMENT);
            builder.environment().putAll(bench.env.get(label));
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(app.port));
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(bench.platform.work().resolve(Platform.name(label) + "-lean.log")
                    .toFile()));
            long started = System.nanoTime();
            Process process = builder.start();
            lean.put(label, process);
            awaitReady(process, app.baseUri());
            double ms = millis(System.nanoTime() - started);
            bench.report.add("(f) start → /q/health/ready 200, lean JVM: " + Platform.name(label), "–", fmt(ms), "–", "–", "≤ 3 s",
                    yes(ms <= 3000));
        }
        for (String label : Platform.SERVICES) {
            for (int i = 0; i < 50; i++) {
                assertEquals(200, Bench.get(bench.serviceUri(label, "/tenant/" + UUID.randomUUID() + "/deletion-preview"), Platform.token(label))
                        .statusCode());
            }
        }
        String token = Platform.token("orchestrator");
        for (int i = 0; i < 10; i++) {
            assertEquals("completed", bench.runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10).json().path("status").asText());
        }
        UUID tenant = UUID.randomUUID();
        bench.data.seed(List.of(tenant), 30_000);
        JsonNode job = bench.runJob(tenant, token, Duration.ofMinutes(5), 10).json();
        assertEquals("completed", job.path("status").asText(), job.toString());
        for (String label : Platform.APPS) {
            rssRow(Platform.name(label), lean.get(label).pid(), ", lean JVM");
        }
    }

    void stopLean() {
        lean.values().forEach(Process::destroy);
    }

    private static void awaitReady(Process process, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        URI ready = URI.create(base + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(base + " exited");
            }
            try {
                if (Bench.HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // connection refused while starting
            }
            Thread.sleep(10);
        }
        fail(base + " not ready");
    }

    static String leanFlags() {
        return System.getProperty("bench.lean.flags", "").trim();
    }

    /** (f) RSS of every app now. */
    void rss(String suffix) throws IOException {
        for (String label : Platform.APPS) {
            rssRow(Platform.name(label), bench.platform.app(label).process().pid(), suffix);
        }
    }

    private void rssRow(String name, long pid, String suffix) throws IOException {
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        long kb = status.lines().filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElse(-1);
        double mb = kb / 1024.0;
        bench.report.add("(f) RSS after the runs" + suffix + ": " + name, "–", String.format(Locale.ROOT, "%.0f MB", mb), "–", "–",
                "≤ 150 MB", yes(mb <= 150));
        String hwm = status.lines().filter(l -> l.startsWith("VmHWM:")).findFirst().orElse("");
        bench.report.note("(f) " + name + suffix + " pid " + pid + ": VmRSS " + kb + " kB, " + hwm.replaceAll("\\s+", " "));
    }

    /** Cores, CPU, RAM, OS, Java, PostgreSQL and the load average now. */
    static String machine() {
        String cpu = "?";
        String mem = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB").orElse("?");
        } catch (IOException ignored) {
            // best effort
        }
        String pg = "?";
        try (Connection admin = Platform.SERVER.connectAdmin(); Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("show server_version")) {
            rs.next();
            pg = rs.getString(1);
        } catch (SQLException ignored) {
            // best effort
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + " RAM, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + ", PostgreSQL " + pg
                + ", load average at start " + Bench.loadAverage();
    }
}
