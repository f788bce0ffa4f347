package dev.tenantdeletion.platform.bench;

import static dev.tenantdeletion.platform.bench.BenchReport.fmt;
import static dev.tenantdeletion.platform.bench.BenchReport.millis;
import static dev.tenantdeletion.platform.bench.BenchReport.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantdeletion.platform.Platform;
import dev.tenantdeletion.testing.TestDb;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** (g), with {@code bench.big}: one big tenant deleted by a job whose service calls are bounded in time. */
final class BigTenantBench {

    private final Bench bench;
    private final JobBench jobs;

    BigTenantBench(Bench bench, JobBench jobs) {
        this.bench = bench;
        this.jobs = jobs;
    }

    /**
     * (g) One tenant of {@code n} rows (split over the services as in {@link BenchData#seed}) next to 3 neighbours of
     * {@code bench.big.neighbours} rows, deleted by a job through an orchestrator whose every service timeout is
     * {@code bench.big.timeout} (5 s: the orchestrator gives each call half of it as {@code max_duration_ms}), the
     * services in their default mode (batch size 0: budgeted calls use 5,000-row batches). Measured: POST →
     * completed_at against (b) on the re-seeded tenant; exact totals; the longest transaction on the three service
     * databases ({@link TransactionSampler}) during the job and during (b); calls per service; progress as a client
     * polling the job sees it. The orchestrator is restarted for this on the same job store and stays so.
     */
    void run(int n) throws Exception {
        int neighbourRows = Integer.getInteger("bench.big.neighbours", 100_000);
        String timeout = System.getProperty("bench.big.timeout", "5s");
        int pollMillis = Integer.getInteger("bench.big.poll.ms", 250);
        int sampleMillis = Integer.getInteger("bench.big.sample.ms", 20);
        bench.log("===== big tenant N = %,d (neighbours %,d rows each, service timeouts %s) =====", n, neighbourRows, timeout);

        Map<String, String> env = new LinkedHashMap<>(bench.env.get("orchestrator"));
        for (String label : Platform.SERVICES) {
            env.put("DELETION_SERVICES_" + Platform.envName(label) + "_TIMEOUT", timeout);
        }
        String attempts = System.getProperty("bench.big.attempts");
        if (attempts != null) {
            env.put("DELETION_RETRY_MAX_ATTEMPTS", attempts);
        }
        double ready = bench.platform.start("orchestrator", env);
        String token = Platform.token("orchestrator");
        for (int i = 0; i < 5; i++) { // warm-up, as the first orchestrator had its empty-tenant jobs
            assertEquals("completed", bench.runJob(UUID.randomUUID(), token, Duration.ofSeconds(60), 10).json().path("status").asText());
        }
        bench.report.note(String.format(Locale.ROOT, "(g) settings: orchestrator restarted on the same job store with "
                + "DELETION_SERVICES_<NAME>_TIMEOUT=%s for every service (so max_duration_ms = half of it per call, as the "
                + "orchestrator derives it) and DELETION_RETRY_MAX_ATTEMPTS=%s, ready in %.0f ms, 5 empty-tenant jobs as "
                + "warm-up; the services in their default mode (deletion.batch-size 0: a budgeted call deletes in batches of "
                + "5,000 rows, each its own transaction); tenant of N = %,d rows, 3 neighbours of %,d rows each (smaller than "
                + "the tenant, so that seeding stays short), their 33 per-table checksums compared after the job and after (b)",
                timeout, env.get("DELETION_RETRY_MAX_ATTEMPTS"), ready, n, neighbourRows));

        UUID tenant = UUID.randomUUID();
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        long seeding = System.nanoTime();
        bench.data.seed(neighbours, neighbourRows);
        bench.data.seed(List.of(tenant), n);
        bench.data.vacuumAnalyze();
        bench.log("seeded the big tenant (%,d rows) and 3 neighbours (%,d rows each) in %d ms", n, neighbourRows, Platform.millisSince(seeding));
        Map<String, String> neighbourSums = bench.data.checksums(neighbours);
        assertEquals((long) n, TestDb.total(bench.data.counts(tenant)), "seeded big tenant");

        // the job, with the transaction sampler and the progress poller
        Map<String, double[]> timersBefore = bench.serviceTimers();
        TransactionSampler sampler = TransactionSampler.start(bench.platform.connect("orchestrator"), serviceDatabases(),
                sampleMillis);
        Progress progress;
        TransactionSampler.Result jobXact;
        try {
            progress = observedJob(tenant, token, Duration.ofMinutes(60), pollMillis);
        } finally {
            jobXact = sampler.stopWhenQuiet(60_000);
        }
        Map<String, double[]> timersAfter = bench.serviceTimers();
        JsonNode job = progress.job().json();
        double a = progress.job().toFinalStatus();
        long total = job.path("total_items_deleted").asLong(-1);
        String status = job.path("status").asText();
        boolean verified = job.path("verified").asBoolean();
        boolean exact = total == n && "completed".equals(status) && verified;
        bench.log("(g) N=%,d job %s, verified %s, total_items_deleted %,d, POST→completed_at %.0f ms; longest transaction:%s", n, status,
                verified, total, a, jobXact.describe());
        bigNotes(n, job, a, progress, jobXact, timersBefore, timersAfter, pollMillis);

        TransactionSampler.Result rawXact = null;
        double b = Double.NaN;
        if (exact) {
            bench.data.checkDeleted(tenant, neighbours, neighbourSums);
            bench.data.reseed(tenant, n);
            TransactionSampler rawSampler = TransactionSampler.start(bench.platform.connect("orchestrator"),
                    serviceDatabases(), sampleMillis);
            try {
                b = jobs.rawDelete(n, tenant);
            } finally {
                rawXact = rawSampler.stopWhenQuiet(60_000);
            }
            bench.report.note("(g) longest transaction during (b), N=" + String.format(Locale.ROOT, "%,d", n) + ": " + rawXact.describe());
            bench.data.checkDeleted(tenant, neighbours, neighbourSums);
        }
        bigRows(n, job, a, b, exact, progress, jobXact, rawXact);
        assertEquals((long) n, total, "big tenant: the job's total_items_deleted is not the rows seeded: " + job);
        assertEquals("completed", status, job.toString());
        assertTrue(verified, "big tenant job not verified: " + job);
        bench.data.emptyTables();
    }

    private void bigRows(int n, JsonNode job, double a, double b, boolean exact, Progress progress,
            TransactionSampler.Result jobXact, TransactionSampler.Result rawXact) {
        String prefix = "(g) big tenant, " + System.getProperty("bench.big.timeout", "5s") + " service timeouts: ";
        if (!Double.isNaN(b)) {
            bench.report.row(prefix + "job POST→completed_at (verified) vs (b) raw parallel DELETEs", n, a, b, 1.5, "≤ 1.5 × (b)");
        }
        bench.report.add(prefix + "exact totals: total_items_deleted = rows seeded, completed, verified",
                String.format(Locale.ROOT, "%,d", n),
                String.format(Locale.ROOT, "%,d, %s, verified %s", job.path("total_items_deleted").asLong(-1),
                        job.path("status").asText(), job.path("verified").asBoolean()),
                String.format(Locale.ROOT, "%,d seeded", n), "–", "equal, completed, verified", yes(exact));
        bench.report.add(prefix + "longest transaction on the service databases (pg_stat_activity every "
                + Integer.getInteger("bench.big.sample.ms", 20) + " ms): pos / external / alerts (ms); raw = (b)",
                String.format(Locale.ROOT, "%,d", n), xacts(jobXact), rawXact == null ? "–" : xacts(rawXact),
                rawXact == null ? "–" : String.format(Locale.ROOT, "%.3f", jobXact.max() / rawXact.max()), "< 1 s during the job",
                yes(jobXact.max() < 1000 && jobXact.errors() == 0 && jobXact.samples() > 1));
        bench.report.add(prefix + "HTTP DELETE calls per service (rows deleted per call)", String.format(Locale.ROOT, "%,d", n),
                calls(job), "–", "–", "(no target)", "–");
        double first = progress.firstChange();
        double gap = progress.longestGap();
        bench.report.add(prefix + "progress seen by GET every " + Integer.getInteger("bench.big.poll.ms", 250)
                + " ms: distinct total_items_deleted values, longest interval between changes, POST → first change",
                String.format(Locale.ROOT, "%,d", n), String.format(Locale.ROOT, "%d values (%d changes), longest %s ms, first %s ms",
                        progress.values().size(), progress.changes().size(), fmt(gap), fmt(first)),
                "–", "–", "≤ 5 s", yes(progress.changes().size() > 0 && Math.max(first, gap) <= 5000));
    }

    private static String xacts(TransactionSampler.Result result) {
        return Platform.SERVICES.stream().map(l -> fmt(result.of(l))).reduce((x, y) -> x + " / " + y).orElse("");
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
        Platform.SERVICES.forEach(label -> labelOf.put(Platform.name(label), label));
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
        bench.report.note(String.format(Locale.ROOT, "(g) N=%,d: job %s, verified %s, total_items_deleted %,d, items_expected %s, "
                + "POST→completed_at %.0f ms, seen by polling after %.0f ms;%s", n, job.path("status").asText(),
                job.path("verified").asBoolean(), job.path("total_items_deleted").asLong(-1), text(job.path("items_expected")), a,
                progress.job().polled(), split));
        bench.report.note("(g) longest transaction during the job: " + xact.describe() + " Method: a thread on its own autocommit "
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
        bench.report.note(String.format(Locale.ROOT, "(g) progress: GET /api/v1/deletion-jobs/{id} every %d ms (fixed rate, %d polls, "
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

    private Map<String, String> serviceDatabases() {
        Map<String, String> databases = new LinkedHashMap<>();
        Platform.SERVICES.forEach(label -> databases.put(label, bench.platform.database(label)));
        return databases;
    }

    /**
     * A job as a client watching its progress sees it: every {@code total_items_deleted} change (ms since the POST
     * was sent, value), the distinct values, the number of polls and the slowest answer.
     */
    private record Progress(Bench.Job job, List<long[]> changes, Set<Long> values, int polls, double slowestPoll) {

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

    /** As {@link Bench#runJob}, polling at a fixed rate and recording every change of {@code total_items_deleted}. */
    private Progress observedJob(UUID tenant, String token, Duration timeout, int pollMillis) throws Exception {
        Instant posted = Instant.now();
        long started = System.nanoTime();
        HttpResponse<String> created = Bench.post(bench.orchestratorUri("/api/v1/deletion-jobs"), token,
                "{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Benchmark\",\"reason\":\"benchmark, big tenant\"}");
        assertEquals(202, created.statusCode(), created.body());
        JsonNode first = Bench.JSON.readTree(created.body());
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
            HttpResponse<String> response = Bench.get(bench.orchestratorUri("/api/v1/deletion-jobs/" + jobId), token);
            long answered = System.nanoTime();
            polls++;
            slowest = Math.max(slowest, millis(answered - asked));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode job = Bench.JSON.readTree(response.body());
            long value = job.path("total_items_deleted").asLong();
            values.add(value);
            if (value != seen) {
                changes.add(new long[] {(answered - started) / 1_000_000, value});
                seen = value;
            }
            if (Bench.FINAL.contains(job.path("status").asText())) {
                Instant completed = Instant.parse(job.path("completed_at").asText());
                Bench.Job done = new Bench.Job(job, Duration.between(posted, completed).toNanos() / 1e6, millis(answered - started));
                return new Progress(done, changes, values, polls, slowest);
            }
        }
        fail("big job " + jobId + " not final within " + timeout + "\n" + bench.platform.app("orchestrator").tail());
        return null;
    }
}
