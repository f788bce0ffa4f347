package dev.tenantdeletion.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantdeletion.platform.Platform;
import dev.tenantdeletion.testing.TestTokens;
import java.net.URI;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the re-verification sweep over many erased tenants. Starts the four packaged apps (each on its own throwaway
 * database), writes {@code bench.reverify.tenants} (100,000) erased tenants into the job store — a completed job each —
 * plus a tenth as many whose most recent job is failed or cancelled (not erased: never asked about), gives
 * {@code bench.reverify.reappeared} (20) of the erased tenants rows again in every service, and neighbours of their own
 * ({@code bench.reverify.neighbours} tenants of {@code bench.reverify.rows} rows, so the services' indexes are not empty).
 * Then {@code POST /api/v1/reverifications} (every service, from the first erased tenant) is timed, {@code bench.reverify.rounds}
 * times (the follow-up jobs of a round make their tenants not erased: each later round deletes them again first).
 * Per service database it reads {@code pg_stat_database} around each sweep: transactions committed (the deletion check
 * is one statement, in a transaction of its own) and {@code active_time} (time spent executing statements), after waiting
 * for the backends' statistics to be flushed. Then, {@code bench.reverify.rounds} pairs: a job of a tenant of
 * {@code bench.reverify.job.rows} (30,000) rows alone, and another one started a second into a sweep (POST to the job's
 * {@code completed_at}).
 *
 * <p>Not run by default (its name ends neither in Test nor IT). After packaging the apps:
 * {@code mvn -B -ntp verify -pl platform-tests -Dit.test=ReverificationBenchmark -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}. Report: {@code target/bench-reverify/report.md}.
 */
class ReverificationBenchmark {

    private static final Path WORK = Path.of("target", "bench-reverify").toAbsolutePath();
    private static Platform platform;

    @Test
    void sweep() throws Exception {
        int erased = Integer.getInteger("bench.reverify.tenants", 100_000);
        int reappeared = Integer.getInteger("bench.reverify.reappeared", 20);
        int neighbours = Integer.getInteger("bench.reverify.neighbours", 100);
        int rows = Integer.getInteger("bench.reverify.rows", 3_000);
        int rounds = Integer.getInteger("bench.reverify.rounds", 3);
        platform = new Platform("reverify-bench", "rvbench", WORK);
        BenchReport report = new BenchReport();
        Bench bench = new Bench(platform, report);
        for (String label : Platform.APPS) {
            platform.createDatabase(label);
        }
        for (String label : Platform.SERVICES) {
            platform.start(label, platform.environment(label));
        }
        Map<String, String> orchestrator = platform.environment("orchestrator");
        orchestrator.put("DELETION_REVERIFY_INTERVAL", "P1D");
        platform.start("orchestrator", orchestrator);

        long seeding = System.nanoTime();
        List<UUID> neighbourTenants = new ArrayList<>();
        for (int i = 0; i < neighbours; i++) {
            neighbourTenants.add(UUID.randomUUID());
        }
        bench.data.seed(neighbourTenants, rows);
        List<UUID> back = seedJobStore(erased, reappeared);
        for (String label : Platform.SERVICES) {
            platform.seed(label, back, 30);
            try (Connection db = platform.connect(label); Statement statement = db.createStatement()) {
                statement.execute("vacuum analyze");
            }
        }
        bench.log("seeded in %d ms: %d erased tenants (%d with rows again), %d not erased, %d neighbours of %d rows",
                Platform.millisSince(seeding), erased + reappeared, reappeared, erased / 10, neighbours, rows);

        StringBuilder table = new StringBuilder("| round | wall ms | checked tenants | reappeared (tenant, service) | follow-up jobs |"
                + " pos: xacts / DB ms | external: xacts / DB ms | alerts: xacts / DB ms | orchestrator: xacts / DB ms |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (int round = 1; round <= rounds; round++) {
            if (round > 1) {
                clearFollowUps();
            }
            Thread.sleep(12_000); // the backends' statistics of the previous work flushed (idle backends report at least every 10 s)
            Map<String, long[]> before = stats();
            long started = System.nanoTime();
            HttpResponse<String> answer = Bench.HTTP.send(HttpRequest.newBuilder(URI.create(platform.baseUri("orchestrator")
                            + "/api/v1/reverifications")).header("Authorization", "Bearer " + admin()).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            double wall = (System.nanoTime() - started) / 1e6;
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode json = Bench.JSON.readTree(answer.body());
            assertEquals(erased + reappeared, json.path("checked_tenants").asLong(), "every erased tenant checked");
            assertEquals(3L * reappeared, json.path("reappeared").size(), "every tenant with rows again, in every service");
            assertEquals(reappeared, json.path("follow_up_jobs").size());
            Thread.sleep(12_000);
            Map<String, long[]> after = stats();
            table.append(String.format(Locale.ROOT, "| %d | %.0f | %d | %d | %d |", round, wall, json.path("checked_tenants").asLong(),
                    json.path("reappeared").size(), json.path("follow_up_jobs").size()));
            for (String label : Platform.APPS) {
                long[] b = before.get(label);
                long[] a = after.get(label);
                table.append(String.format(Locale.ROOT, " %d / %.0f |", a[0] - b[0], (a[1] - b[1]) / 1000.0));
            }
            table.append('\n');
            bench.log("round %d: %.0f ms, %s", round, wall, answer.body().length() > 300 ? answer.body().substring(0, 300) + "…" : answer.body());
        }
        // a job's duration alone and while a sweep runs, alternately
        int jobRows = Integer.getInteger("bench.reverify.job.rows", 30_000);
        StringBuilder jobs = new StringBuilder("| pair | job alone ms | job during a sweep ms | ratio |\n|---|---|---|---|\n");
        List<Double> ratios = new ArrayList<>();
        for (int pair = 1; pair <= rounds; pair++) {
            clearFollowUps();
            UUID alone = UUID.randomUUID();
            UUID during = UUID.randomUUID();
            bench.data.seed(List.of(alone, during), jobRows);
            Thread.sleep(2_000);
            Bench.Job quiet = bench.runJob(alone, Platform.token("orchestrator"), Duration.ofMinutes(2), 20);
            var sweeping = Bench.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(platform.baseUri("orchestrator")
                            + "/api/v1/reverifications")).header("Authorization", "Bearer " + admin()).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1_000); // the sweep is under way (it takes seconds)
            Bench.Job busy = bench.runJob(during, Platform.token("orchestrator"), Duration.ofMinutes(2), 20);
            boolean stillSweeping = !sweeping.isDone();
            assertEquals(200, sweeping.get().statusCode(), sweeping.get().body());
            double ratio = busy.toFinalStatus() / quiet.toFinalStatus();
            ratios.add(ratio);
            jobs.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f%s | %.2f |%n", pair, quiet.toFinalStatus(), busy.toFinalStatus(),
                    stillSweeping ? "" : " (the sweep ended first)", ratio));
        }
        String text = "# Re-verification sweep\n\n" + Bench.loadAverage() + " (load average at the end)\n\n"
                + "erased tenants: " + (erased + reappeared) + ", of which with rows again in every service: " + reappeared
                + "; not erased: " + erased / 10 + "; neighbours: " + neighbours + " × " + rows + " rows; page size 1,000\n\n"
                + table + "\nxacts: transactions committed on the database during the sweep (pg_stat_database.xact_commit); DB ms: "
                + "pg_stat_database.active_time, time spent executing statements.\n\n## A job of " + jobRows + " rows alone and during a sweep\n\n"
                + jobs + "\nmedian ratio: " + String.format(Locale.ROOT, "%.2f", ratios.stream().sorted().toList().get(ratios.size() / 2))
                + " (POST → the job's completed_at)\n";
        Files.writeString(WORK.resolve("report.md"), text);
        System.out.println(text);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.stop();
        }
    }

    /** Erased tenants (one completed job each), the not erased, and the tenants that will hold rows again; those returned. */
    private static List<UUID> seedJobStore(int erased, int reappeared) throws SQLException {
        List<UUID> back = new ArrayList<>();
        for (int i = 0; i < reappeared; i++) {
            back.add(UUID.randomUUID());
        }
        String job = """
                insert into deletion_jobs (id, tenant_id, tenant_name, reason, requested_by, status, verified, created_at, started_at,
                                           completed_at, registry)
                select gen_random_uuid(), %s, 'Bench', 'benchmark', 'bench', %s, %s, now() - interval '2 days', now() - interval '2 days',
                       now() - interval '2 days', '{alert-processor,external-service,pos-service}'
                  from %s""";
        try (Connection db = platform.connect("orchestrator")) {
            try (Statement statement = db.createStatement()) {
                statement.execute(job.formatted("gen_random_uuid()", "'completed'", "true", "generate_series(1, " + erased + ")"));
                statement.execute(job.formatted("gen_random_uuid()", "case when g % 2 = 0 then 'failed' else 'cancelled' end", "false",
                        "generate_series(1, " + erased / 10 + ") g"));
            }
            try (PreparedStatement statement = db.prepareStatement(job.formatted("t", "'completed'", "true", "unnest(?::uuid[]) t"))) {
                statement.setArray(1, db.createArrayOf("uuid", back.toArray()));
                statement.execute();
            }
            try (Statement statement = db.createStatement()) {
                statement.execute("vacuum analyze deletion_jobs");
            }
        }
        return back;
    }

    /** Per app database: {xact_commit, active_time in µs}. */
    private static Map<String, long[]> stats() throws SQLException {
        Map<String, long[]> stats = new LinkedHashMap<>();
        for (String label : Platform.APPS) {
            try (Connection db = platform.connect(label); PreparedStatement statement = db.prepareStatement(
                    "select xact_commit, (active_time * 1000)::bigint from pg_stat_database where datname = current_database()")) {
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    stats.put(label, new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        return stats;
    }

    /** The previous sweep's follow-up jobs made their tenants not erased: removed, so every sweep checks as many. */
    private static void clearFollowUps() throws SQLException {
        execute("orchestrator", "delete from deletion_job_services where job_id in (select id from deletion_jobs where requested_by = 'reverification')");
        execute("orchestrator", "delete from reverification_findings");
        execute("orchestrator", "delete from deletion_jobs where requested_by = 'reverification'");
    }

    private static void execute(String label, String sql) throws SQLException {
        try (Connection db = platform.connect(label); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A service token for the orchestrator (its audience) with the admin scope; minted per round (it lives 5 minutes). */
    private static String admin() {
        Map<String, Object> claims = TestTokens.claimsFor(Platform.name("orchestrator"), "bench", "service", null, null);
        claims.put("scope", "deletion:admin");
        return TestTokens.rs256(claims);
    }
}
