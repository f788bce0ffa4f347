package dev.tenantdeletion.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.platform.App;
import dev.tenantdeletion.platform.Platform;
import dev.tenantdeletion.testing.TestDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: the platform benchmark. Starts the four packaged apps once (on the {@link Platform} fixture {@code PlatformIT}
 * uses too), seeds one tenant of N rows (total over the three services) plus three neighbours of
 * the same size, and measures on identical data (re-seeded between runs):
 * (a) an orchestrated job, POST to final status, against (b) the same children-first DELETEs issued directly
 * over JDBC on the three databases in parallel, and (b') the same with the RI triggers off plus the engine's set-based
 * checks (issue 16: the services run as their own non-superuser roles granted SET on session_replication_role, and
 * their readiness must say {@code fk-checks: fast}); (c) each service's preview against the raw count(*) queries;
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
 *
 * <p>This class is the run's order; the measures live in {@link JobBench} ((a), (b), (d), empty tenants),
 * {@link PreviewBench} ((c), (e)), {@link StartupBench} ((f)) and {@link BigTenantBench} ((g)), the report in
 * {@link BenchReport}.
 */
class PlatformBenchmark {

    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();
    private static final int BATCH_SIZE = 10_000;

    private static Platform platform;
    private static StartupBench startup;

    private Bench bench;
    private JobBench jobs;
    private PreviewBench previews;

    @Test
    void benchmark() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.sizes", "100000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none")).map(Integer::parseInt).toList();
        platform = new Platform("bench", "bench", WORK);
        BenchReport report = new BenchReport();
        bench = new Bench(platform, report);
        jobs = new JobBench(bench);
        previews = new PreviewBench(bench);
        startup = new StartupBench(bench);
        report.note("machine: " + StartupBench.machine());
        report.note("app JVM flags: " + String.join(" ", App.jvmFlags()) + " (deploy/jvm/java-options), MALLOC_ARENA_MAX=2"
                + (Bench.jvmOptions().isEmpty() ? "" : " + JAVA_TOOL_OPTIONS=\"" + Bench.jvmOptions() + "\""));
        report.note("N = rows of the measured tenant in total over the three services (pos gets N − 2⌊N/3⌋, external and "
                + "alerts ⌊N/3⌋ each, most of them in pos_transactions, external_api_logs, alert_notifications/alert_history); "
                + "3 neighbour tenants of the same size");

        startup.startPlatform();
        startup.idleConnectionsAndTogether();
        jobs.emptyTenantJobs();
        for (int n : sizes) {
            runSize(n);
        }
        int big = Integer.getInteger("bench.big", 0);
        if (big > 0) {
            try {
                new BigTenantBench(bench, jobs).run(big);
            } catch (Throwable failure) {
                report.note("(g) FAILED: " + failure);
                report.write(WORK);
                throw failure;
            }
        }
        startup.rss("");
        if (!StartupBench.leanFlags().isEmpty()) {
            startup.leanRun();
        }
        report.write(WORK);
    }

    @AfterAll
    static void stopThePlatform() {
        if (startup != null) {
            startup.stopLean();
        }
        if (platform != null) {
            platform.stop();
        }
    }

    private void runSize(int n) throws Exception {
        bench.log("===== N = %,d =====", n);
        BenchData data = bench.data;
        UUID tenant = UUID.randomUUID();
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<UUID> all = new ArrayList<>(neighbours);
        all.add(tenant);
        long seeding = System.nanoTime();
        data.seed(all, n);
        data.vacuumAnalyze();
        bench.log("seeded 4 tenants of %,d rows in %d ms", n, Platform.millisSince(seeding));
        Map<String, String> neighbourSums = data.checksums(neighbours);
        assertEquals((long) n, TestDb.total(data.counts(tenant)), "seeded tenant");

        if (Boolean.getBoolean("bench.explain")) {
            data.explain(tenant, "n" + n, WORK);
        }

        // (c) previews against the raw counts
        previews.previews(n, tenant);
        // (e) throughput of previews, 16 clients (bench.throughput.seconds=0: skipped)
        if (Long.getLong("bench.throughput.seconds", 20) > 0) {
            previews.throughput(n, tenant);
        }

        // (a) the orchestrated job
        double a = jobs.orchestratedJob(n, tenant, "a");
        data.checkDeleted(tenant, neighbours, neighbourSums);
        data.reseed(tenant, n);

        // (b) PostgreSQL's own limit: the same DELETEs, the three databases in parallel
        double b = jobs.rawDelete(n, tenant);
        data.checkDeleted(tenant, neighbours, neighbourSums);
        data.reseed(tenant, n);

        // (b') issue 16's new limit: the same DELETEs with the triggers off plus the engine's set-based checks
        double bPrime = jobs.rawDelete(n, tenant, true);
        data.checkDeleted(tenant, neighbours, neighbourSums);
        data.reseed(tenant, n);

        // (a') the engine's one transaction per service, no budget: the job's cost without the budgeted batches
        double aOne = jobs.oneTransactionDeletes(n, tenant);
        data.checkDeleted(tenant, neighbours, neighbourSums);
        data.reseed(tenant, n);

        // (d) batched mode
        startup.restartServices(BATCH_SIZE);
        double d = jobs.orchestratedJob(n, tenant, "d");
        data.checkDeleted(tenant, neighbours, neighbourSums);
        startup.restartServices(0);

        bench.report.row("(a) job POST→completed_at (verified) vs (b) raw parallel DELETEs", n, a, b, n >= 1_000_000 ? 1.25 : Double.NaN,
                n >= 1_000_000 ? "≤ 1.25 × (b)" : "(target at N=1,000,000)");
        bench.report.row("(d) batched job (batch 10,000) vs (b)", n, d, b, 2.0, "≤ 2 × (b)");
        bench.report.row("(a) issue 16: job (fast foreign-key checks, granted service roles) vs (b) raw DELETEs with RI triggers", n, a, b,
                n >= 1_000_000 ? 0.6 : Double.NaN, n >= 1_000_000 ? "≤ 0.6 × (b)" : "(≤ 0.6 × (b) at N=1,000,000)");
        bench.report.row("(a) issue 16: job vs (b') raw DELETEs, triggers off + the same set-based checks", n, a, bPrime, 1.15,
                "≤ 1.15 × (b')");
        bench.report.row("(a') the services' one-transaction DELETEs (no budget) vs (b')", n, aOne, bPrime, Double.NaN,
                "(where the job's gap to (b') lies)");
        bench.log("N=%,d: job %.0f ms, (b) %.0f ms, (b') %.0f ms, (a') %.0f ms: job/(b) %.2f, job/(b') %.2f, (a')/(b') %.2f", n, a, b,
                bPrime, aOne, a / b, a / bPrime, aOne / bPrime);

        // the neighbours go; the next size starts from clean tables
        data.emptyTables();
    }
}
