package dev.tenantdeletion.platform.bench;

import dev.tenantdeletion.alerts.AlertSeeder;
import dev.tenantdeletion.external.ExternalSeeder;
import dev.tenantdeletion.pos.PosSeeder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.platform.PlatformAccess;
import dev.tenantdeletion.platform.PlatformAccess.Proc;
import dev.tenantdeletion.testing.PostgresServer;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: the platform benchmark. Starts the four packaged apps once (as {@code PlatformIT} does, through
 * {@link PlatformAccess}), seeds one tenant of N rows (total over the three services) plus three neighbours of
 * the same size, and measures on identical data (re-seeded between runs):
 * (a) an orchestrated job, POST to final status, against (b) the same children-first DELETEs issued directly
 * over JDBC on the three databases in parallel; (c) each service's preview against the raw count(*) queries;
 * (d) batched mode (batch size 10,000) against (b); (e) preview throughput with 16 concurrent clients;
 * (f) start-to-ready time and RSS of every process; and jobs for empty tenants; and, with {@code bench.big} set,
 * (g) one big tenant deleted by a job whose service calls are bounded in time (below).
 * After every deletion the tenant must be empty and the neighbours' per-table checksums unchanged.
 *
 * <p>Not run by default (its name ends neither in Test nor IT):
 * {@code mvn -B verify -pl platform-tests -Dit.test=PlatformBenchmark -Dbench.sizes=100000,1000000}.
 * System properties: {@code bench.sizes} (default 100000), {@code bench.throughput.seconds} (20),
 * {@code bench.jvm.options} (extra JVM options for the apps, passed as JAVA_TOOL_OPTIONS),
 * {@code bench.explain} (true: EXPLAIN ANALYZE of the statements at every size), {@code bench.poll.ms} (job polling
 * interval of (a) and (d), default 100: the time is taken to the job's completed_at, polling only finds out), {@code bench.lean.flags} (JVM flags of an extra (f) run to compare with deploy/jvm/java-options; default: none). Report: target/bench/report.md.
 * {@code bench.sizes=none} runs no size (only the empty-tenant jobs, (f) and (g)); {@code bench.throughput.seconds=0} skips (e).
 *
 * <p>(g), the big tenant, off by default: {@code bench.big} = N rows of one tenant over the three services (split as
 * for the sizes), next to 3 neighbours of {@code bench.big.neighbours} rows each (default 100000). The orchestrator is
 * restarted on the same job store with {@code DELETION_SERVICES_<NAME>_TIMEOUT=}{@code bench.big.timeout} (default
 * 5s, so each call gets a 2.5 s {@code max_duration_ms}; {@code bench.big.attempts} overrides the retry setting of 1),
 * the services stay in their default mode (batch size 0: budgeted calls delete 5,000-row batches). Measured: POST →
 * completed_at vs (b) on the re-seeded tenant (target ≤ 1.5); total_items_deleted = rows seeded, completed,
 * verified (asserted); the longest transaction on the three service databases during the job and during (b)
 * ({@link TransactionSampler}, every {@code bench.big.sample.ms} = 20 ms; target < 1 s); {@code services[].calls}
 * ("n/a" where the orchestrator has none) and rows per call; progress as seen by GET of the job every
 * {@code bench.big.poll.ms} = 250 ms (distinct values, longest interval between changes, POST → first change;
 * target ≤ 5 s). The 5,000,000-row run, after packaging the apps ({@code mvn -B -ntp package -DskipTests}):
 * {@code mvn -B -ntp verify -pl platform-tests -Dit.test=PlatformBenchmark -Dbench.sizes=none -Dbench.throughput.seconds=0 -Dbench.big=5000000}
 * (add {@code -Dbench.sizes=100000,1000000} and drop {@code bench.throughput.seconds} to run the other measures too).
 * A jar built elsewhere can stand in for one of the packaged ones on the command line, e.g.
 * {@code -Dorchestrator.jar=/path/to/orchestrator/target/quarkus-app/quarkus-run.jar}.
 */
class PlatformBenchmark {

    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();
    private static final int PREVIEW_WARM_UP = 200;
    private static final int PREVIEW_SAMPLES = 50;
    private static final PostgresServer SERVER = PostgresServer.fromEnvironment();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> LABELS = List.of("pos", "external", "alerts");
    private static final Map<String, String> SERVICE = Map.of("pos", "pos-service", "external", "external-service",
            "alerts", "alert-processor");
    private static final Map<String, String> BASE_PATH = Map.of("pos", "/api/v1/pos", "external", "/api/v1/external",
            "alerts", "/api/v1/alerts");
    private static final Map<String, String> JAR_PROPERTY = Map.of("pos", "pos-service.jar", "external", "external-service.jar",
            "alerts", "alert-processor.jar", "orchestrator", "orchestrator.jar");
    private static final Set<String> FINAL = Set.of("completed", "partially_failed", "failed");
    private static final int BATCH_SIZE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Map<String, String> DATABASES = new LinkedHashMap<>();
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    private static final Map<String, Proc> APPS = new LinkedHashMap<>();
    private static final Map<String, Map<String, String>> ENV = new LinkedHashMap<>();
    private static final List<String> CREATED_DATABASES = new ArrayList<>();

    private static final Map<String, Process> LEAN = new LinkedHashMap<>();
    private static final List<String[]> ROWS = new ArrayList<>();
    private static final List<String> NOTES = new ArrayList<>();

    // ------------------------------------------------------------------ the run

    @Test
    void benchmark() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.sizes", "100000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none")).map(Integer::parseInt).toList();
        Files.createDirectories(WORK);
        NOTES.add("machine: " + machine());
        NOTES.add("app JVM flags: " + String.join(" ", PlatformAccess.jvmFlags()) + " (deploy/jvm/java-options), MALLOC_ARENA_MAX=2"
                + (jvmOptions().isEmpty() ? "" : " + JAVA_TOOL_OPTIONS=\"" + jvmOptions() + "\""));
        NOTES.add("N = rows of the measured tenant in total over the three services (pos gets N − 2⌊N/3⌋, external and "
                + "alerts ⌊N/3⌋ each, most of them in pos_transactions, external_api_logs, alert_notifications/alert_history); "
                + "3 neighbour tenants of the same size");

        startPlatform();
        emptyTenantJobs();
        for (int n : sizes) {
            runSize(n);
        }
        int big = Integer.getInteger("bench.big", 0);
        if (big > 0) {
            try {
                bigTenant(big);
            } catch (Throwable failure) {
                NOTES.add("(g) FAILED: " + failure);
                writeReport();
                throw failure;
            }
        }
        rss("");
        if (!leanFlags().isEmpty()) {
            leanRun();
        }
        writeReport();
    }

    @AfterAll
    static void stopThePlatform() {
        APPS.values().forEach(Proc::stop);
        LEAN.values().forEach(Process::destroy);
        for (String database : CREATED_DATABASES) {
            try {
                admin("drop database if exists " + database + " with (force)");
            } catch (SQLException e) {
                log("could not drop %s: %s", database, e);
            }
        }
    }

    private void runSize(int n) throws Exception {
        log("===== N = %,d =====", n);
        UUID tenant = UUID.randomUUID();
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<UUID> all = new ArrayList<>(neighbours);
        all.add(tenant);
        long seeding = System.nanoTime();
        seed(all, n);
        vacuumAnalyze();
        log("seeded 4 tenants of %,d rows in %d ms", n, millisSince(seeding));
        Map<String, String> neighbourSums = checksums(neighbours);
        assertEquals((long) n, TestDb.total(counts(tenant)), "seeded tenant");

        if (Boolean.getBoolean("bench.explain")) {
            explain(tenant, "n" + n);
        }

        // (c) previews against the raw counts
        previews(n, tenant);
        // (e) throughput of previews, 16 clients (bench.throughput.seconds=0: skipped)
        if (Long.getLong("bench.throughput.seconds", 20) > 0) {
            throughput(n, tenant);
        }

        // (a) the orchestrated job
        double a = orchestratedJob(n, tenant, "a");
        checkDeleted(tenant, neighbours, neighbourSums);
        reseed(tenant, n);

        // (b) PostgreSQL's own limit: the same DELETEs, the three databases in parallel
        double b = rawDelete(n, tenant);
        checkDeleted(tenant, neighbours, neighbourSums);
        reseed(tenant, n);

        // (d) batched mode
        restartServices(BATCH_SIZE);
        double d = orchestratedJob(n, tenant, "d");
        checkDeleted(tenant, neighbours, neighbourSums);
        restartServices(0);

        row("(a) job POST→completed_at (verified) vs (b) raw parallel DELETEs", n, a, b, n >= 1_000_000 ? 1.25 : Double.NaN,
                n >= 1_000_000 ? "≤ 1.25 × (b)" : "(target at N=1,000,000)");
        row("(d) batched job (batch 10,000) vs (b)", n, d, b, 2.0, "≤ 2 × (b)");

        // the neighbours go; the next size starts from clean tables
        emptyTables();
    }

    private static void emptyTables() throws SQLException {
        for (String label : LABELS) {
            try (Connection db = connect(label); Statement statement = db.createStatement()) {
                for (String table : tables(label)) {
                    statement.execute("delete from " + table);
                }
            }
        }
        vacuumAnalyze();
    }

    // ------------------------------------------------------------------ (g): one big tenant, 5 s timeouts

    /**
     * (g) One tenant of {@code n} rows (split over the services as in {@link #seed}) next to 3 neighbours of
     * {@code bench.big.neighbours} rows, deleted by a job through an orchestrator whose every service timeout is
     * {@code bench.big.timeout} (5 s: the orchestrator gives each call half of it as {@code max_duration_ms}), the
     * services in their default mode (batch size 0: budgeted calls use 5,000-row batches). Measured: POST →
     * completed_at against (b) on the re-seeded tenant; exact totals; the longest transaction on the three service
     * databases ({@link TransactionSampler}) during the job and during (b); calls per service; progress as a client
     * polling the job sees it. The orchestrator is restarted for this on the same job store and stays so.
     */
    private void bigTenant(int n) throws Exception {
        int neighbourRows = Integer.getInteger("bench.big.neighbours", 100_000);
        String timeout = System.getProperty("bench.big.timeout", "5s");
        int pollMillis = Integer.getInteger("bench.big.poll.ms", 250);
        int sampleMillis = Integer.getInteger("bench.big.sample.ms", 20);
        log("===== big tenant N = %,d (neighbours %,d rows each, service timeouts %s) =====", n, neighbourRows, timeout);

        Map<String, String> env = new LinkedHashMap<>(ENV.get("orchestrator"));
        for (String label : LABELS) {
            env.put("DELETION_SERVICES_" + SERVICE.get(label).toUpperCase(Locale.ROOT).replace('-', '_') + "_TIMEOUT", timeout);
        }
        String attempts = System.getProperty("bench.big.attempts");
        if (attempts != null) {
            env.put("DELETION_RETRY_MAX_ATTEMPTS", attempts);
        }
        double ready = startApp("orchestrator", env);
        String token = TestTokens.service();
        for (int i = 0; i < 5; i++) { // warm-up, as the first orchestrator had its empty-tenant jobs
            assertEquals("completed", runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10).json().path("status").asText());
        }
        NOTES.add(String.format(Locale.ROOT, "(g) settings: orchestrator restarted on the same job store with "
                + "DELETION_SERVICES_<NAME>_TIMEOUT=%s for every service (so max_duration_ms = half of it per call, as the "
                + "orchestrator derives it) and DELETION_RETRY_MAX_ATTEMPTS=%s, ready in %.0f ms, 5 empty-tenant jobs as "
                + "warm-up; the services in their default mode (deletion.batch-size 0: a budgeted call deletes in batches of "
                + "5,000 rows, each its own transaction); tenant of N = %,d rows, 3 neighbours of %,d rows each (smaller than "
                + "the tenant, so that seeding stays short), their 33 per-table checksums compared after the job and after (b)",
                timeout, env.get("DELETION_RETRY_MAX_ATTEMPTS"), ready, n, neighbourRows));

        UUID tenant = UUID.randomUUID();
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        long seeding = System.nanoTime();
        seed(neighbours, neighbourRows);
        seed(List.of(tenant), n);
        vacuumAnalyze();
        log("seeded the big tenant (%,d rows) and 3 neighbours (%,d rows each) in %d ms", n, neighbourRows, millisSince(seeding));
        Map<String, String> neighbourSums = checksums(neighbours);
        assertEquals((long) n, TestDb.total(counts(tenant)), "seeded big tenant");

        // the job, with the transaction sampler and the progress poller
        Map<String, double[]> timersBefore = serviceTimers();
        TransactionSampler sampler = TransactionSampler.start(SERVER.connect(DATABASES.get("orchestrator")), serviceDatabases(),
                sampleMillis);
        Progress progress;
        TransactionSampler.Result jobXact;
        try {
            progress = observedJob(tenant, token, Duration.ofMinutes(60), pollMillis);
        } finally {
            jobXact = sampler.stopWhenQuiet(60_000);
        }
        Map<String, double[]> timersAfter = serviceTimers();
        JsonNode job = progress.job().json();
        double a = progress.job().toFinalStatus();
        long total = job.path("total_items_deleted").asLong(-1);
        String status = job.path("status").asText();
        boolean verified = job.path("verified").asBoolean();
        boolean exact = total == n && "completed".equals(status) && verified;
        log("(g) N=%,d job %s, verified %s, total_items_deleted %,d, POST→completed_at %.0f ms; longest transaction:%s", n, status,
                verified, total, a, jobXact.describe());
        bigNotes(n, job, a, progress, jobXact, timersBefore, timersAfter, pollMillis);

        TransactionSampler.Result rawXact = null;
        double b = Double.NaN;
        if (exact) {
            checkDeleted(tenant, neighbours, neighbourSums);
            reseed(tenant, n);
            TransactionSampler rawSampler = TransactionSampler.start(SERVER.connect(DATABASES.get("orchestrator")),
                    serviceDatabases(), sampleMillis);
            try {
                b = rawDelete(n, tenant);
            } finally {
                rawXact = rawSampler.stopWhenQuiet(60_000);
            }
            NOTES.add("(g) longest transaction during (b), N=" + String.format(Locale.ROOT, "%,d", n) + ": " + rawXact.describe());
            checkDeleted(tenant, neighbours, neighbourSums);
        }
        bigRows(n, job, a, b, exact, progress, jobXact, rawXact);
        assertEquals((long) n, total, "big tenant: the job's total_items_deleted is not the rows seeded: " + job);
        assertEquals("completed", status, job.toString());
        assertTrue(verified, "big tenant job not verified: " + job);
        emptyTables();
    }

    private void bigRows(int n, JsonNode job, double a, double b, boolean exact, Progress progress,
            TransactionSampler.Result jobXact, TransactionSampler.Result rawXact) {
        String prefix = "(g) big tenant, " + System.getProperty("bench.big.timeout", "5s") + " service timeouts: ";
        if (!Double.isNaN(b)) {
            row(prefix + "job POST→completed_at (verified) vs (b) raw parallel DELETEs", n, a, b, 1.5, "≤ 1.5 × (b)");
        }
        ROWS.add(new String[] {prefix + "exact totals: total_items_deleted = rows seeded, completed, verified",
                String.format(Locale.ROOT, "%,d", n),
                String.format(Locale.ROOT, "%,d, %s, verified %s", job.path("total_items_deleted").asLong(-1),
                        job.path("status").asText(), job.path("verified").asBoolean()),
                String.format(Locale.ROOT, "%,d seeded", n), "–", "equal, completed, verified", yes(exact)});
        ROWS.add(new String[] {prefix + "longest transaction on the service databases (pg_stat_activity every "
                + Integer.getInteger("bench.big.sample.ms", 20) + " ms): pos / external / alerts (ms); raw = (b)",
                String.format(Locale.ROOT, "%,d", n), xacts(jobXact), rawXact == null ? "–" : xacts(rawXact),
                rawXact == null ? "–" : String.format(Locale.ROOT, "%.3f", jobXact.max() / rawXact.max()), "< 1 s during the job",
                yes(jobXact.max() < 1000 && jobXact.errors() == 0 && jobXact.samples() > 1)});
        ROWS.add(new String[] {prefix + "HTTP DELETE calls per service (rows deleted per call)", String.format(Locale.ROOT, "%,d", n),
                calls(job), "–", "–", "(no target)", "–"});
        double first = progress.firstChange();
        double gap = progress.longestGap();
        ROWS.add(new String[] {prefix + "progress seen by GET every " + Integer.getInteger("bench.big.poll.ms", 250)
                + " ms: distinct total_items_deleted values, longest interval between changes, POST → first change",
                String.format(Locale.ROOT, "%,d", n), String.format(Locale.ROOT, "%d values (%d changes), longest %s ms, first %s ms",
                        progress.values().size(), progress.changes().size(), fmt(gap), fmt(first)),
                "–", "–", "≤ 5 s", yes(progress.changes().size() > 0 && Math.max(first, gap) <= 5000)});
    }

    private static String xacts(TransactionSampler.Result result) {
        return LABELS.stream().map(l -> fmt(result.of(l))).reduce((x, y) -> x + " / " + y).orElse("");
    }

    /** Per service "name calls (rows/call)"; "n/a" where the orchestrator reports no {@code calls}. */
    private static String calls(JsonNode job) {
        List<String> parts = new ArrayList<>();
        long allCalls = 0;
        long allRows = 0;
        boolean every = true;
        for (JsonNode service : job.path("services")) {
            JsonNode calls = service.path("calls");
            long rows = service.path("total_deleted").asLong();
            if (calls.isNumber() && calls.asLong() > 0) {
                parts.add(String.format(Locale.ROOT, "%s %d (%,d)", service.path("service").asText(), calls.asLong(),
                        rows / calls.asLong()));
                allCalls += calls.asLong();
                allRows += rows;
            } else {
                parts.add(service.path("service").asText() + " n/a");
                every = false;
            }
        }
        if (every && allCalls > 0) {
            parts.add(String.format(Locale.ROOT, "all %d (%,d)", allCalls, allRows / allCalls));
        }
        return String.join(", ", parts);
    }

    private void bigNotes(int n, JsonNode job, double a, Progress progress, TransactionSampler.Result xact,
            Map<String, double[]> before, Map<String, double[]> after, int pollMillis) {
        Map<String, String> labelOf = new LinkedHashMap<>();
        SERVICE.forEach((label, service) -> labelOf.put(service, label));
        StringBuilder split = new StringBuilder();
        for (JsonNode service : job.path("services")) {
            String name = service.path("service").asText();
            split.append(String.format(Locale.ROOT, " %s: %s, calls %s, attempts %d, total_deleted %,d, items_expected %s, "
                    + "duration_ms %d", name, service.path("status").asText(), text(service.path("calls")),
                    service.path("attempts").asInt(), service.path("total_deleted").asLong(), text(service.path("items_expected")),
                    service.path("duration_ms").asLong()));
            String label = labelOf.get(name);
            if (label != null) {
                double[] b = before.get(label);
                double[] f = after.get(label);
                split.append(String.format(Locale.ROOT, ", server-side %.0f DELETE calls answered taking %.0f ms in all",
                        f[1] - b[1], (f[0] - b[0]) * 1000));
            }
            split.append(';');
        }
        NOTES.add(String.format(Locale.ROOT, "(g) N=%,d: job %s, verified %s, total_items_deleted %,d, items_expected %s, "
                + "POST→completed_at %.0f ms, seen by polling after %.0f ms;%s", n, job.path("status").asText(),
                job.path("verified").asBoolean(), job.path("total_items_deleted").asLong(-1), text(job.path("items_expected")), a,
                progress.job().polled(), split));
        NOTES.add("(g) longest transaction during the job: " + xact.describe() + " Method: a thread on its own autocommit "
                + "connection polls pg_stat_activity at a fixed rate for max(clock_timestamp() − xact_start) over the client "
                + "backends of the three service databases that are in a transaction and not idle (state <> 'idle', "
                + "xact_start is not null; 'idle in transaction' counts), its own backend excluded, keeping the maximum per "
                + "database and the statement running then, from just before the POST until, after the job's end, a poll "
                + "sees no open transaction there (at most 60 s more: a transaction outliving a call that timed out still "
                + "counts). A transaction is last seen at most one poll gap before it ends, so each figure is low by at most the longest gap given; shorter transactions can be missed altogether. "
                + "For (b) the figure is the whole DELETE of a database, one transaction.");
        List<String> timeline = new ArrayList<>();
        for (long[] change : progress.changes()) {
            if (timeline.size() == 60) {
                timeline.add("…");
                break;
            }
            timeline.add(String.format(Locale.ROOT, "%d ms: %,d", change[0], change[1]));
        }
        NOTES.add(String.format(Locale.ROOT, "(g) progress: GET /api/v1/deletion-jobs/{id} every %d ms (fixed rate, %d polls, "
                + "slowest answer %.0f ms); a change is timed when the poll that shows it is answered, counted from sending the "
                + "POST, so to ±%d ms; %d distinct values of total_items_deleted, %d changes, POST → first change %.0f ms, "
                + "longest interval between two changes %.0f ms, last change seen at %.0f ms, completed_at at %.0f ms, the "
                + "final status seen at %.0f ms; changes (ms since the POST: total_items_deleted): %s", pollMillis,
                progress.polls(), progress.slowestPoll(), pollMillis, progress.values().size(), progress.changes().size(),
                progress.firstChange(), progress.longestGap(),
                progress.changes().isEmpty() ? Double.NaN : (double) progress.changes().get(progress.changes().size() - 1)[0],
                a, progress.job().polled(), String.join("; ", timeline)));
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "n/a";
        }
        return node.isIntegralNumber() ? String.format(Locale.ROOT, "%,d", node.asLong()) : node.asText();
    }

    private static Map<String, String> serviceDatabases() {
        Map<String, String> databases = new LinkedHashMap<>();
        LABELS.forEach(label -> databases.put(label, DATABASES.get(label)));
        return databases;
    }

    /**
     * A job as a client watching its progress sees it: every {@code total_items_deleted} change (ms since the POST
     * was sent, value), the distinct values, the number of polls and the slowest answer.
     */
    private record Progress(Job job, List<long[]> changes, Set<Long> values, int polls, double slowestPoll) {

        double firstChange() {
            return changes.isEmpty() ? Double.NaN : changes.get(0)[0];
        }

        double longestGap() {
            double longest = 0;
            for (int i = 1; i < changes.size(); i++) {
                longest = Math.max(longest, changes.get(i)[0] - changes.get(i - 1)[0]);
            }
            return longest;
        }
    }

    /** As {@link #runJob}, polling at a fixed rate and recording every change of {@code total_items_deleted}. */
    private Progress observedJob(UUID tenant, String token, Duration timeout, int pollMillis) throws Exception {
        Instant posted = Instant.now();
        long started = System.nanoTime();
        HttpResponse<String> created = post(orchestratorUri("/api/v1/deletion-jobs"), token,
                "{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Benchmark\",\"reason\":\"benchmark, big tenant\"}");
        assertEquals(202, created.statusCode(), created.body());
        JsonNode first = JSON.readTree(created.body());
        String jobId = first.path("job_id").asText();
        List<long[]> changes = new ArrayList<>();
        Set<Long> values = new LinkedHashSet<>();
        long seen = first.path("total_items_deleted").asLong(0);
        values.add(seen);
        int polls = 0;
        double slowest = 0;
        long deadline = started + timeout.toNanos();
        long next = started;
        while (System.nanoTime() < deadline) {
            next += pollMillis * 1_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } else {
                next = System.nanoTime(); // behind: no burst of catch-up polls
            }
            long asked = System.nanoTime();
            HttpResponse<String> response = get(orchestratorUri("/api/v1/deletion-jobs/" + jobId), token);
            long answered = System.nanoTime();
            polls++;
            slowest = Math.max(slowest, millis(answered - asked));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode job = JSON.readTree(response.body());
            long value = job.path("total_items_deleted").asLong();
            values.add(value);
            if (value != seen) {
                changes.add(new long[] {(answered - started) / 1_000_000, value});
                seen = value;
            }
            if (FINAL.contains(job.path("status").asText())) {
                Instant completed = Instant.parse(job.path("completed_at").asText());
                Job done = new Job(job, Duration.between(posted, completed).toNanos() / 1e6, millis(answered - started));
                return new Progress(done, changes, values, polls, slowest);
            }
        }
        fail("big job " + jobId + " not final within " + timeout + "\n" + APPS.get("orchestrator").tail());
        return null;
    }

    // ------------------------------------------------------------------ (a) and (d): jobs through the orchestrator

    /** POST → final status; returns milliseconds. Splits the time with the job's per-service duration_ms and metrics. */
    private double orchestratedJob(int n, UUID tenant, String measure) throws Exception {
        Map<String, double[]> before = serviceTimers();
        String token = TestTokens.service();
        int pollMillis = pollMillis();
        Job run = runJob(tenant, token, Duration.ofMinutes(30), pollMillis);
        JsonNode job = run.json();
        double ms = run.toFinalStatus();
        assertEquals("completed", job.path("status").asText(), job.toString());
        assertTrue(job.path("verified").asBoolean(), "not verified: " + job);
        assertEquals((long) n, job.path("total_items_deleted").asLong(), job.toString());
        Map<String, double[]> after = serviceTimers();
        StringBuilder split = new StringBuilder();
        double slowest = 0;
        for (JsonNode service : job.path("services")) {
            long duration = service.path("duration_ms").asLong();
            slowest = Math.max(slowest, duration);
            split.append(String.format(Locale.ROOT, " %s %d ms (attempts %d);", service.path("service").asText(), duration,
                    service.path("attempts").asInt()));
        }
        for (String label : LABELS) {
            double[] b = before.get(label);
            double[] a = after.get(label);
            split.append(String.format(Locale.ROOT, " %s server-side: delete %.0f ms, verification preview %.1f ms;",
                    SERVICE.get(label), (a[0] - b[0]) * 1000, (a[2] - b[2]) * 1000 / Math.max(1, a[3] - b[3])));
        }
        NOTES.add(String.format(Locale.ROOT, "(%s) N=%,d: POST→%s (completed_at) %.0f ms, seen by polling every %d ms after "
                + "%.0f ms; slowest service DELETE %.0f ms, so orchestration (POST, claim, fan-out, verification, job writes) "
                + "≈ %.0f ms;%s", measure, n, job.path("status").asText(), ms, pollMillis, run.polled(), slowest, ms - slowest, split));
        log("(%s) N=%,d job %.0f ms:%s", measure, n, ms, split);
        return ms;
    }

    /**
     * A finished job and two clocks: {@code toFinalStatus} runs from the moment the POST was sent to the job's own
     * {@code completed_at} (when the orchestrator committed the final status; same machine, same clock), {@code polled}
     * to when this client's polling saw it, which adds up to one polling interval.
     */
    private record Job(JsonNode json, double toFinalStatus, double polled) {
    }

    private Job runJob(UUID tenant, String token, Duration timeout, int pollMillis) throws Exception {
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
        fail("job " + jobId + " not final within " + timeout + "\n" + APPS.get("orchestrator").tail());
        return null;
    }

    /** Empty tenant: POST → completed, 20 jobs for fresh tenants (3 more first, as warm-up). */
    private void emptyTenantJobs() throws Exception {
        String token = TestTokens.service();
        for (int i = 0; i < 3; i++) {
            runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10);
        }
        List<Double> times = new ArrayList<>();
        List<Double> polled = new ArrayList<>();
        double[] before = orchestratorTimers();
        for (int i = 0; i < 20; i++) {
            Job run = runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10);
            JsonNode job = run.json();
            times.add(run.toFinalStatus());
            polled.add(run.polled());
            assertEquals("completed", job.path("status").asText(), job.toString());
            assertTrue(job.path("verified").asBoolean(), job.toString());
        }
        double median = percentile(times, 50);
        ROWS.add(new String[] {"empty tenant job POST→completed_at, median (p90) of 20", "0", fmt(median) + " (p90 " + fmt(percentile(times, 90)) + ")",
                "–", "–", "median < 100 ms", yes(median < 100)});
        double[] after = orchestratorTimers();
        NOTES.add(String.format(Locale.ROOT, "empty tenant jobs: orchestrator's own deletion_job_duration_seconds mean %.1f ms, "
                + "deletion_service_call_duration_seconds (one DELETE call) mean %.1f ms; POST→completed_at (ms, in order): %s; "
                + "seen by polling every 10 ms, median %.1f ms",
                (after[0] - before[0]) * 1000 / Math.max(1, after[1] - before[1]),
                (after[2] - before[2]) * 1000 / Math.max(1, after[3] - before[3]),
                times.stream().map(PlatformBenchmark::fmt).toList(), percentile(polled, 50)));
    }

    // ------------------------------------------------------------------ (b): the raw DELETEs

    private double rawDelete(int n, UUID tenant) throws Exception {
        Map<String, Connection> connections = new LinkedHashMap<>();
        for (String label : LABELS) {
            Connection db = connect(label);
            db.setAutoCommit(false);
            connections.put(label, db);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Map<String, Future<double[]>> futures = new LinkedHashMap<>();
            for (String label : LABELS) {
                Connection db = connections.get(label);
                futures.put(label, pool.submit(() -> {
                    go.await();
                    long started = System.nanoTime();
                    long rows = 0;
                    try (PreparedStatement lock = db.prepareStatement("select pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, tenant.getMostSignificantBits() ^ tenant.getLeastSignificantBits());
                        lock.execute();
                    }
                    for (String table : tables(label)) {
                        try (PreparedStatement delete = db.prepareStatement("delete from " + table + " where tenant_id = ?")) {
                            delete.setObject(1, tenant);
                            rows += delete.executeUpdate();
                        }
                    }
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
            assertEquals((long) n, rows, "raw DELETE rows");
            NOTES.add(String.format(Locale.ROOT, "(b) N=%,d: raw parallel DELETEs %.0f ms, per database:%s", n, ms, split));
            log("(b) N=%,d raw %.0f ms:%s", n, ms, split);
            return ms;
        } finally {
            pool.shutdownNow();
            for (Connection db : connections.values()) {
                db.close();
            }
        }
    }

    // ------------------------------------------------------------------ (c): previews against count(*)

    private void previews(int n, UUID tenant) throws Exception {
        String token = TestTokens.service();
        for (String label : LABELS) {
            String uri = serviceUri(label, "/tenant/" + tenant + "/deletion-preview");
            try (Connection db = connect(label)) {
                List<PreparedStatement> counts = new ArrayList<>();
                for (String table : tables(label)) {
                    PreparedStatement statement = db.prepareStatement("select count(*) from " + table + " where tenant_id = ?");
                    statement.setObject(1, tenant);
                    counts.add(statement);
                }
                long expected = 0;
                // warm-up of both sides, this client's included: the JIT compiles the paths of this data size first
                for (int i = 0; i < PREVIEW_WARM_UP; i++) {
                    assertEquals(200, get(uri, token).statusCode());
                    expected = runCounts(counts);
                }
                double floor = httpFloor(label);
                double[] timersBefore = serviceTimers().get(label);
                List<Double> ours = new ArrayList<>();
                List<Double> raw = new ArrayList<>();
                for (int i = 0; i < PREVIEW_SAMPLES; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> preview = get(uri, token);
                    ours.add(millis(System.nanoTime() - started));
                    assertEquals(200, preview.statusCode(), preview.body());
                    assertEquals(expected, JSON.readTree(preview.body()).path("total_items").asLong(), preview.body());
                    started = System.nanoTime();
                    runCounts(counts);
                    raw.add(millis(System.nanoTime() - started));
                }
                double[] timersAfter = serviceTimers().get(label);
                double serverSide = (timersAfter[2] - timersBefore[2]) * 1000 / Math.max(1, timersAfter[3] - timersBefore[3]);
                for (PreparedStatement statement : counts) {
                    statement.close();
                }
                double o = percentile(ours, 50);
                double r = percentile(raw, 50);
                row("(c) preview " + SERVICE.get(label) + " (median of " + PREVIEW_SAMPLES + ", HTTP+JWT) vs raw count(*)", n, o, r,
                        1.25, "≤ 1.25 × raw");
                NOTES.add(String.format(Locale.ROOT, "(c) N=%,d %s: HTTP preview median %.2f ms (p90 %.2f), server-side preview "
                        + "timer mean %.2f ms, raw counts (4 statements, JDBC) median %.2f ms (p90 %.2f) for %d rows; this client's "
                        + "HTTP floor (GET /q/health/live, no token, no database) median %.2f ms", n, SERVICE.get(label), o,
                        percentile(ours, 90), serverSide, r, percentile(raw, 90), expected, floor));
            }
        }
    }

    /** What one HTTP round trip of this client costs without any work behind it: median of GET /q/health/live. */
    private double httpFloor(String label) throws Exception {
        URI live = URI.create(APPS.get(label).baseUri() + "/q/health/live");
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < PREVIEW_WARM_UP + PREVIEW_SAMPLES; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(live).GET().build(), HttpResponse.BodyHandlers.ofString());
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

    // ------------------------------------------------------------------ (e): preview throughput

    private void throughput(int n, UUID tenant) throws Exception {
        int clients = 16;
        long seconds = Long.getLong("bench.throughput.seconds", 20);
        String token = TestTokens.service();
        List<String> uris = LABELS.stream().map(l -> serviceUri(l, "/tenant/" + tenant + "/deletion-preview")).toList();
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
                        HttpResponse<String> response = get(uris.get(i % uris.size()), token);
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        mine.add(millis(System.nanoTime() - started));
                    }
                    return null;
                }));
            }
            Map<String, double[]> timersBefore = serviceTimers();
            Map<String, Double> cpuBefore = cpuSeconds();
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
            ROWS.add(new String[] {"(e) preview throughput, 16 clients × " + seconds + " s, round-robin over the 3 services",
                    String.format(Locale.ROOT, "%,d", n), text, "–", "–", "(no target)", errors.get() == 0 ? "–" : "ERRORS"});
            log("(e) N=%,d %s", n, text);
            Map<String, double[]> timersAfter = serviceTimers();
            Map<String, Double> cpuAfter = cpuSeconds();
            StringBuilder split = new StringBuilder();
            for (String label : LABELS) {
                double[] b = timersBefore.get(label);
                double[] a = timersAfter.get(label);
                split.append(String.format(Locale.ROOT, " %s: %.0f previews, server-side mean %.1f ms, CPU %.1f s (%.0f %% of one core);",
                        SERVICE.get(label), a[3] - b[3], (a[2] - b[2]) * 1000 / Math.max(1, a[3] - b[3]),
                        cpuAfter.get(label) - cpuBefore.get(label), 100 * (cpuAfter.get(label) - cpuBefore.get(label)) / elapsed));
            }
            NOTES.add(String.format(Locale.ROOT, "(e) N=%,d: %s; PostgreSQL backends CPU %.1f s; machine load average after: %s;%s",
                    n, text, cpuAfter.get("postgres") - cpuBefore.get("postgres"), loadAverage(), split));
            assertEquals(0, errors.get(), "preview errors under load");
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ (f) and the platform

    private void startPlatform() throws Exception {
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            String database = "bench_" + label + "_" + SUFFIX;
            admin("create database " + database);
            CREATED_DATABASES.add(database);
            DATABASES.put(label, database);
            PORTS.put(label, freePort());
        }
        Map<String, String> common = new LinkedHashMap<>();
        common.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyFile().toString());
        common.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        common.put("QUARKUS_DATASOURCE_USERNAME", SERVER.user());
        if (SERVER.password() != null) {
            common.put("QUARKUS_DATASOURCE_PASSWORD", SERVER.password());
        }
        if (!jvmOptions().isEmpty()) {
            common.put("JAVA_TOOL_OPTIONS", jvmOptions());
        }
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            Map<String, String> env = new LinkedHashMap<>(common);
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", SERVER.reactiveUrl(DATABASES.get(label)));
            ENV.put(label, env);
        }
        Map<String, String> orch = ENV.get("orchestrator");
        orch.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", TestKeys.privateKeyFile().toString());
        for (String label : LABELS) {
            String name = SERVICE.get(label).toUpperCase(Locale.ROOT).replace('-', '_');
            orch.put("DELETION_SERVICES_" + name + "_URL", "http://127.0.0.1:" + PORTS.get(label) + BASE_PATH.get(label));
            orch.put("DELETION_SERVICES_" + name + "_TIMEOUT", "900s"); // a big tenant is slow, not a timeout
        }
        orch.put("DELETION_RETRY_MAX_ATTEMPTS", "1"); // a failure must show, not be hidden by a retry

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            APPS.values().forEach(Proc::destroyForcibly);
            LEAN.values().forEach(Process::destroyForcibly);
        }, "bench-cleanup"));
        // one at a time, as a pod starts: start-to-ready of each process alone on the machine
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            double ms = startApp(label, ENV.get(label));
            ROWS.add(new String[] {"(f) start → /q/health/ready 200: " + name(label) + " (first start: migrates its schema)", "–",
                    fmt(ms), "–", "–", "≤ 3 s", yes(ms <= 3000)});
            Path status = Path.of("/proc/" + APPS.get(label).process().pid() + "/status");
            NOTES.add("(f) " + name(label) + " at ready: " + Files.readString(status).lines().filter(l -> l.startsWith("VmRSS:"))
                    .findFirst().orElse("").replaceAll("\\s+", " "));
        }
        // the services have migrated their schemas: autovacuum off on the benchmark's tables, so that
        // VACUUM runs where the benchmark puts it (between runs) and never during a measurement
        for (String label : LABELS) {
            try (Connection db = connect(label); Statement statement = db.createStatement()) {
                for (String table : tables(label)) {
                    statement.execute("alter table " + table + " set (autovacuum_enabled = false, toast.autovacuum_enabled = false)");
                }
            }
        }
    }

    /** Starts (or restarts) an app and waits until it is ready; returns process start → ready 200 in ms. */
    private double startApp(String label, Map<String, String> env) throws Exception {
        Proc old = APPS.get(label);
        if (old != null) {
            old.stop();
        }
        Proc app = PlatformAccess.app(name(label), jar(JAR_PROPERTY.get(label)), PORTS.get(label), env, WORK);
        APPS.put(label, app);
        long started = System.nanoTime();
        app.start();
        long deadline = started + Duration.ofSeconds(180).toNanos();
        URI ready = URI.create(app.baseUri() + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!app.process().isAlive()) {
                fail(app.name() + " exited:\n" + app.tail());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    double ms = millis(System.nanoTime() - started);
                    log("%s ready in %.0f ms (pid %d)", app.name(), ms, app.process().pid());
                    return ms;
                }
            } catch (IOException notYet) {
                // connection refused while starting
            }
            Thread.sleep(10);
        }
        fail(app.name() + " not ready:\n" + app.tail());
        return 0;
    }

    private void restartServices(int batchSize) throws Exception {
        for (String label : LABELS) {
            Map<String, String> env = new LinkedHashMap<>(ENV.get(label));
            if (batchSize > 0) {
                env.put("DELETION_BATCH_SIZE", String.valueOf(batchSize));
            }
            double ms = startApp(label, env);
            NOTES.add(String.format(Locale.ROOT, "(f) restart of %s with DELETION_BATCH_SIZE=%d: ready in %.0f ms", name(label),
                    batchSize, ms));
            warmUp(label);
        }
    }

    /** A restarted service gets the warm-up the first one had before (a) (previews, and DELETEs of empty tenants). */
    private void warmUp(String label) throws Exception {
        String token = TestTokens.service();
        for (int i = 0; i < 10; i++) {
            UUID nobody = UUID.randomUUID();
            assertEquals(200, get(serviceUri(label, "/tenant/" + nobody + "/deletion-preview"), token).statusCode());
            HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUri(label, "/tenant/" + nobody)))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
        }
    }

    /**
     * (f) with lean JVM flags ({@code bench.lean.flags}; App's flags are fixed and a command-line -Xmx beats
     * JAVA_TOOL_OPTIONS, so these processes are started here): each app alone, start → ready, then a small
     * workload (previews, empty-tenant jobs, a 30,000-row job), then RSS.
     */
    private void leanRun() throws Exception {
        List<String> flags = List.of(leanFlags().split("\\s+"));
        NOTES.add("lean run: JVM flags " + String.join(" ", flags));
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            APPS.get(label).stop();
        }
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(flags);
            command.add("-jar");
            command.add(jar(JAR_PROPERTY.get(label)).toString());
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(PlatformAccess.JVM_ENVIRONMENT);
            builder.environment().putAll(ENV.get(label));
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(PORTS.get(label)));
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve(name(label) + "-lean.log").toFile()));
            long started = System.nanoTime();
            Process process = builder.start();
            LEAN.put(label, process);
            awaitReady(process, "http://127.0.0.1:" + PORTS.get(label));
            double ms = millis(System.nanoTime() - started);
            ROWS.add(new String[] {"(f) start → /q/health/ready 200, lean JVM: " + name(label), "–", fmt(ms), "–", "–", "≤ 3 s",
                    yes(ms <= 3000)});
        }
        String token = TestTokens.service();
        for (String label : LABELS) {
            for (int i = 0; i < 50; i++) {
                assertEquals(200, get(serviceUri(label, "/tenant/" + UUID.randomUUID() + "/deletion-preview"), token).statusCode());
            }
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("completed", runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10).json().path("status").asText());
        }
        UUID tenant = UUID.randomUUID();
        seed(List.of(tenant), 30_000);
        JsonNode job = runJob(tenant, token, Duration.ofMinutes(5), 10).json();
        assertEquals("completed", job.path("status").asText(), job.toString());
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            rssRow(name(label), LEAN.get(label).pid(), ", lean JVM");
        }
    }

    private static void awaitReady(Process process, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        URI ready = URI.create(base + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(base + " exited");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
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

    /** Polling a big job often only loads the two cores the deletion needs; the time comes from completed_at anyway. */
    private static int pollMillis() {
        return Integer.getInteger("bench.poll.ms", 100);
    }

    private static String leanFlags() {
        return System.getProperty("bench.lean.flags", "").trim();
    }

    private void rss(String suffix) throws IOException {
        for (String label : List.of("pos", "external", "alerts", "orchestrator")) {
            rssRow(name(label), APPS.get(label).process().pid(), suffix);
        }
    }

    private static void rssRow(String name, long pid, String suffix) throws IOException {
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        long kb = status.lines().filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElse(-1);
        double mb = kb / 1024.0;
        ROWS.add(new String[] {"(f) RSS after the runs" + suffix + ": " + name, "–", String.format(Locale.ROOT, "%.0f MB", mb), "–",
                "–", "≤ 150 MB", yes(mb <= 150)});
        String hwm = status.lines().filter(l -> l.startsWith("VmHWM:")).findFirst().orElse("");
        NOTES.add("(f) " + name + suffix + " pid " + pid + ": VmRSS " + kb + " kB, " + hwm.replaceAll("\\s+", " "));
    }

    // ------------------------------------------------------------------ data

    private static void seed(List<UUID> tenants, int n) throws Exception {
        int third = n / 3;
        Map<String, Integer> rows = Map.of("pos", n - 2 * third, "external", third, "alerts", third);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (String label : LABELS) {
                futures.add(pool.submit(() -> {
                    try (Connection db = connect(label)) {
                        for (UUID tenant : tenants) {
                            switch (label) {
                                case "pos" -> new PosSeeder().seed(db, tenant, rows.get(label));
                                case "external" -> new ExternalSeeder().seed(db, tenant, rows.get(label));
                                default -> new AlertSeeder().seed(db, tenant, rows.get(label));
                            }
                        }
                    }
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

    private static void reseed(UUID tenant, int n) throws Exception {
        vacuumAnalyze(); // the deleted rows' dead tuples go before the same tenant is seeded again
        long started = System.nanoTime();
        seed(List.of(tenant), n);
        vacuumAnalyze(); // visibility map and statistics as after the first seeding
        log("re-seeded the tenant (%,d rows) in %d ms", n, millisSince(started));
    }

    private static void vacuumAnalyze() throws SQLException {
        for (String label : LABELS) {
            try (Connection db = connect(label); Statement statement = db.createStatement()) {
                for (String table : tables(label)) {
                    statement.execute("vacuum (analyze) " + table);
                }
            }
        }
    }

    private static void checkDeleted(UUID tenant, List<UUID> neighbours, Map<String, String> neighbourSums) throws SQLException {
        Map<String, Long> left = counts(tenant);
        assertEquals(0L, TestDb.total(left), "rows of the deleted tenant left: " + left);
        Map<String, String> now = checksums(neighbours);
        assertEquals(neighbourSums, now, "a neighbour changed");
        assertTrue(now.values().stream().noneMatch(v -> v.startsWith("0:")), "a neighbour lost a table: " + now);
        log("checked: tenant empty in all 11 tables, 3 neighbours' 33 per-table checksums unchanged");
    }

    private static Map<String, Long> counts(UUID tenant) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String label : LABELS) {
            try (Connection db = connect(label)) {
                PlatformAccess.counts(db, label, tables(label), tenant, counts);
            }
        }
        return counts;
    }

    private static Map<String, String> checksums(List<UUID> tenants) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (UUID tenant : tenants) {
            Map<String, String> one = new LinkedHashMap<>();
            for (String label : LABELS) {
                try (Connection db = connect(label)) {
                    PlatformAccess.checksums(db, label, tables(label), tenant, one);
                }
            }
            one.forEach((k, v) -> sums.put(tenant + "/" + k, v));
        }
        return sums;
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of every count and DELETE, the DELETEs rolled back; into target/bench/explain-*.txt. */
    private static void explain(UUID tenant, String tag) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String label : LABELS) {
            try (Connection db = connect(label)) {
                db.setAutoCommit(false);
                for (String kind : List.of("select count(*) from %1$s where tenant_id = '%2$s'",
                        "delete from %1$s where tenant_id = '%2$s'",
                        "delete from %1$s where id in (select id from %1$s where tenant_id = '%2$s' limit 10000)")) {
                    for (String table : tables(label)) {
                        if (kind.contains("limit") && !table.equals(tables(label).get(0))) {
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
        Files.writeString(WORK.resolve("explain-" + tag + ".txt"), out);
        vacuumAnalyze();
    }

    // ------------------------------------------------------------------ report

    private static void row(String measure, int n, double ours, double raw, double target, String targetText) {
        double ratio = ours / raw;
        String met = Double.isNaN(target) ? "–" : yes(ratio <= target);
        ROWS.add(new String[] {measure, String.format(Locale.ROOT, "%,d", n), fmt(ours), fmt(raw),
                String.format(Locale.ROOT, "%.2f", ratio), targetText, met});
    }

    private static void writeReport() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| measure | N | ours (ms) | raw (ms) | ours/raw | target | met |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (String[] row : ROWS) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        StringBuilder report = new StringBuilder("# Platform benchmark, ").append(Instant.now()).append("\n\n").append(table)
                .append("\nNotes:\n");
        NOTES.forEach(note -> report.append("- ").append(note).append('\n'));
        Files.writeString(WORK.resolve("report.md"), report);
        System.out.println("\n" + report);
    }

    // ------------------------------------------------------------------ HTTP, metrics, small things

    private static HttpResponse<String> get(String uri, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String uri, String token, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Per service: {delete sum s, delete count, preview sum s, preview count} from its /q/metrics. */
    private static Map<String, double[]> serviceTimers() throws IOException, InterruptedException {
        Map<String, double[]> timers = new LinkedHashMap<>();
        for (String label : LABELS) {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(APPS.get(label).baseUri() + "/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            timers.put(label, new double[] {metric(text, "tenant_deletion_duration_seconds_sum"),
                    metric(text, "tenant_deletion_duration_seconds_count"), metric(text, "tenant_deletion_preview_duration_seconds_sum"),
                    metric(text, "tenant_deletion_preview_duration_seconds_count")});
        }
        return timers;
    }

    /** Orchestrator: {job duration sum s, count, service call sum s, count}. */
    private static double[] orchestratorTimers() throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(APPS.get("orchestrator").baseUri() + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new double[] {metric(text, "deletion_job_duration_seconds_sum"), metric(text, "deletion_job_duration_seconds_count"),
                metric(text, "deletion_service_call_duration_seconds_sum"), metric(text, "deletion_service_call_duration_seconds_count")};
    }

    /** CPU seconds (user + system) of every app process, and of all PostgreSQL processes as "postgres". */
    private static Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        APPS.forEach((label, app) -> cpu.put(label, cpuOf(app.process().pid())));
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

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String serviceUri(String label, String path) {
        return APPS.get(label).baseUri() + BASE_PATH.get(label) + path;
    }

    private static String orchestratorUri(String path) {
        return APPS.get("orchestrator").baseUri() + path;
    }

    private static String name(String label) {
        return label.equals("orchestrator") ? "orchestrator" : SERVICE.get(label);
    }

    private static List<String> tables(String label) {
        return switch (label) {
            case "pos" -> PlatformAccess.POS_TABLES;
            case "external" -> PlatformAccess.EXTERNAL_TABLES;
            case "alerts" -> PlatformAccess.ALERT_TABLES;
            default -> throw new IllegalArgumentException(label);
        };
    }

    private static Connection connect(String label) throws SQLException {
        return SERVER.connect(DATABASES.get(label));
    }

    private static void admin(String sql) throws SQLException {
        try (Connection admin = SERVER.connectAdmin(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static String jvmOptions() {
        return System.getProperty("bench.jvm.options", "").trim();
    }

    private static Path jar(String property) {
        String location = System.getProperty(property);
        if (location == null || !Files.isRegularFile(Path.of(location))) {
            fail("packaged jar not found at " + location + " (" + property + "); package the apps first: mvn -B install -DskipTests");
        }
        return Path.of(location).toAbsolutePath().normalize();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String machine() {
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
        try (Connection admin = SERVER.connectAdmin(); Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("show server_version")) {
            rs.next();
            pg = rs.getString(1);
        } catch (SQLException ignored) {
            // best effort
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException ignored) {
            // best effort
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + " RAM, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + ", PostgreSQL " + pg
                + ", load average at start " + load;
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }


    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static void log(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

}
