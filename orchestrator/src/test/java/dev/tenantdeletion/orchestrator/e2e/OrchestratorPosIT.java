package dev.tenantdeletion.orchestrator.e2e;


import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OtlpSink;
import dev.tenantdeletion.testing.ListenPorts;
import dev.tenantdeletion.testing.PostgresServer;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import dev.tenantdeletion.testing.TestTriggers;
import io.restassured.response.Response;
import java.io.IOException;
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
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: the packaged orchestrator and the real packaged pos-service, each on its own throwaway
 * database, the registry holding only pos-service. A seeded tenant is deleted through a job; its
 * neighbours stay intact. pos-service runs with an audience of its own (MP_JWT_VERIFY_AUDIENCES), which the
 * orchestrator is told (DELETION_SERVICES_POS_SERVICE_AUDIENCE): the job only gets through if both take effect. Prints the time from POST to final status for an empty and a 100,000-row tenant.
 */
class OrchestratorPosIT {

    private static final int BIG_TENANT_ROWS = 100_000;
    private static final Path LOGS = Path.of("target", "e2e").toAbsolutePath();

    private static final PostgresServer SERVER = PostgresServer.fromEnvironment();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String POS_DB = "e2e_pos_" + SUFFIX;
    private static final String ORCHESTRATOR_DB = "e2e_orchestrator_" + SUFFIX;
    private static final List<Process> PROCESSES = new ArrayList<>();
    /** pos-service's audience here, instead of its default (its service name). */
    private static final String POS_AUDIENCE = "pos-service-e2e";
    private static String orchestrator;
    private static String posService;
    /** Both processes export their traces here (OTLP/HTTP), as they would to a collector. */
    private static final OtlpSink TRACES = new OtlpSink();

    @BeforeAll
    static void startBothFromTheirJars() throws Exception {
        Path posJar = jar("pos-service.jar", "mvn -B package -DskipTests -pl pos-service");
        // the orchestrator's packaged artefact: its native binary in a -Dnative build, else its jar
        String nativeImage = System.getProperty("native.image.path");
        List<String> orchestratorCommand = nativeImage != null && Files.isRegularFile(Path.of(nativeImage))
                ? List.of(nativeImage)
                : javaJar(jar("orchestrator.jar", "mvn -B package -pl orchestrator"));
        Files.createDirectories(LOGS);
        admin("create database " + POS_DB);
        admin("create database " + ORCHESTRATOR_DB);
        int posPort = ListenPorts.free();
        int orchestratorPort = ListenPorts.free();

        Map<String, String> common = new LinkedHashMap<>();
        common.put("QUARKUS_DATASOURCE_USERNAME", SERVER.user());
        if (SERVER.password() != null) {
            common.put("QUARKUS_DATASOURCE_PASSWORD", SERVER.password());
        }
        common.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyFile().toString());
        common.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        common.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", TRACES.endpoint());
        common.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        common.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");

        Map<String, String> pos = new LinkedHashMap<>(common);
        pos.put("QUARKUS_HTTP_PORT", String.valueOf(posPort));
        pos.put("QUARKUS_DATASOURCE_REACTIVE_URL", SERVER.reactiveUrl(POS_DB));
        pos.put("MP_JWT_VERIFY_AUDIENCES", POS_AUDIENCE);
        // the scenarios below need a small tenant's budgeted calls in batches (batches committed before a failure)
        pos.put("DELETION_WHOLE_TENANT_ROWS", "0");
        start(javaJar(posJar), pos, "pos-service");

        Map<String, String> orch = new LinkedHashMap<>(common);
        orch.put("QUARKUS_HTTP_PORT", String.valueOf(orchestratorPort));
        orch.put("QUARKUS_DATASOURCE_REACTIVE_URL", SERVER.reactiveUrl(ORCHESTRATOR_DB));
        orch.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", TestKeys.privateKeyFile().toString());
        orch.put("DELETION_SERVICES_POS_SERVICE_URL", "http://127.0.0.1:" + posPort + "/api/v1/pos");
        orch.put("DELETION_SERVICES_POS_SERVICE_TIMEOUT", "120s");
        orch.put("DELETION_SERVICES_POS_SERVICE_AUDIENCE", POS_AUDIENCE);
        orch.put("DELETION_SERVICES_EXTERNAL_SERVICE_ENABLED", "false");
        orch.put("DELETION_SERVICES_ALERT_PROCESSOR_ENABLED", "false");
        start(orchestratorCommand, orch, "orchestrator");

        posService = "http://127.0.0.1:" + posPort;
        awaitReady(posService, "pos-service");
        orchestrator = "http://127.0.0.1:" + orchestratorPort;
        awaitReady(orchestrator, "orchestrator");
    }

    @AfterAll
    static void stopAndDrop() throws Exception {
        for (Process process : PROCESSES) {
            process.destroy();
        }
        for (Process process : PROCESSES) {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        TRACES.close();
        admin("drop database if exists " + POS_DB + " with (force)");
        admin("drop database if exists " + ORCHESTRATOR_DB + " with (force)");
    }

    @Test
    void aJobDeletesTheTenantFromPosServiceAndLeavesTheNeighboursIntact() throws Exception {
        UUID big = UUID.randomUUID();
        UUID empty = UUID.randomUUID();
        UUID emptyAgain = UUID.randomUUID();
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID());
        try (Connection db = SERVER.connect(POS_DB)) {
            seedPos(db, big, BIG_TENANT_ROWS);
            for (UUID neighbour : neighbours) {
                seedPos(db, neighbour, 600);
            }
        }
        Map<String, Long> seeded = counts(big);
        assertEquals(BIG_TENANT_ROWS, TestDb.total(seeded));
        // the other tests of the class may have run jobs before this one
        long completedBefore = completedJobs(given().baseUri(orchestrator).get("/q/metrics").then().statusCode(200).extract().asString());
        // the orchestrator's other tests fake pos-service with FakeServices.TABLES: those must be the real service's tables
        Response direct = given().baseUri(posService).header("Authorization", "Bearer " + TestTokens.serviceFor(POS_AUDIENCE))
                .get("/api/v1/pos/tenant/" + big + "/deletion-preview");
        assertEquals(200, direct.statusCode(), direct.asString());
        // MP_JWT_VERIFY_AUDIENCES replaces the default audience: a token for "pos-service" is not good here
        Response defaultAudience = given().baseUri(posService).header("Authorization", "Bearer " + TestTokens.serviceFor("pos-service"))
                .get("/api/v1/pos/tenant/" + big + "/deletion-preview");
        assertEquals(401, defaultAudience.statusCode(), defaultAudience.asString());
        assertEquals(new TreeSet<>(posTables()), new TreeSet<>(direct.jsonPath().<String, Object>getMap("data_counts").keySet()),
                "pos-service's preview lists every tenant table of its catalog");
        assertEquals(new TreeSet<>(posTables()), new TreeSet<>(FakeServices.TABLES.get("pos-service")),
                "FakeServices.TABLES fakes pos-service with its real tables");
        Map<UUID, Map<String, String>> before = new LinkedHashMap<>();
        for (UUID neighbour : neighbours) {
            before.put(neighbour, checksums(neighbour));
        }

        // the aggregated preview goes through the orchestrator to the real service
        Response preview = given().baseUri(orchestrator).header("Authorization", "Bearer " + TestTokens.serviceFor("orchestrator"))
                .get("/api/v1/tenants/" + big + "/deletion-preview");
        assertEquals(200, preview.statusCode(), preview.asString());
        assertEquals(BIG_TENANT_ROWS, preview.jsonPath().getLong("total_items"));
        assertEquals(List.of(), preview.jsonPath().getList("unavailable"));

        Timed emptyJob = runJob(empty);
        assertEquals("completed", emptyJob.job().jsonPath().getString("status"), emptyJob.job().asString());
        assertTrue(emptyJob.job().jsonPath().getBoolean("verified"));
        assertEquals(0, emptyJob.job().jsonPath().getLong("total_items_deleted"));

        Timed bigJob = runJob(big);
        Response job = bigJob.job();
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"));
        assertEquals(1, job.jsonPath().getInt("services_total"), "only pos-service is registered");
        assertEquals(BIG_TENANT_ROWS, job.jsonPath().getLong("total_items_deleted"));
        Map<String, Object> reported = job.jsonPath().getMap("services[0].deleted_counts");
        Map<String, Long> deleted = new LinkedHashMap<>();
        reported.forEach((table, n) -> deleted.put(table, ((Number) n).longValue()));
        assertEquals(seeded, deleted, "what pos-service deleted, table by table");
        assertEquals("pos-service", job.jsonPath().getString("services[0].service"));
        assertEquals(1, job.jsonPath().getInt("services[0].attempts"));
        assertEquals(0L, TestDb.total(counts(big)), "the tenant's rows are gone");
        for (UUID neighbour : neighbours) {
            assertEquals(before.get(neighbour), checksums(neighbour), "neighbour " + neighbour + " changed");
        }

        assertJobLogLines(job.jsonPath().getString("job_id"), big);

        // the first job above ran on two freshly started JVMs; the same empty deletion once they are warm
        Timed warmEmptyJob = runJob(emptyAgain);
        assertEquals("completed", warmEmptyJob.job().jsonPath().getString("status"), warmEmptyJob.job().asString());

        String metrics = given().baseUri(orchestrator).get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(completedBefore + 3, completedJobs(metrics), "three completed jobs counted");
        assertTrue(!metrics.contains(big.toString()), "no tenant id in the metrics");

        String report = String.format(Locale.ROOT,
                "E2E orchestrator -> pos-service (POST to final status): empty tenant %d ms (first job after start-up), "
                        + "%,d-row tenant %d ms, empty tenant %d ms (warm)",
                emptyJob.millis(), BIG_TENANT_ROWS, bigJob.millis(), warmEmptyJob.millis());
        System.out.println(report);
        Files.writeString(LOGS.resolve("timings.txt"), report + System.lineSeparator());
    }

    /**
     * One job's trace across the two processes, as they export it over OTLP: the orchestrator's run span, its
     * call span for pos-service (attempt 1, success), the HTTP client span under it; pos-service's request span
     * is that client span's child (W3C traceparent), and the deletion's SQL statements are below the request.
     */
    @Test
    void aJobsTraceRunsFromTheOrchestratorsRunThroughTheHttpHopToPosServicesSql() throws Exception {
        UUID tenant = UUID.randomUUID();
        try (Connection db = SERVER.connect(POS_DB)) {
            seedPos(db, tenant, 50);
        }
        Response job = runJob(tenant).job();
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        String jobId = job.jsonPath().getString("job_id");

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<OtlpSink.Span> trace = List.of();
        OtlpSink.Span run = null;
        OtlpSink.Span server = null;
        while (System.nanoTime() < deadline) {
            run = TRACES.spans().stream().filter(s -> s.name().equals("deletion-job run") && jobId.equals(s.attributes().get("deletion.job.id")))
                    .findFirst().orElse(null);
            if (run != null) {
                String traceId = run.traceId();
                trace = TRACES.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
                server = trace.stream().filter(s -> s.service().equals("pos-service") && s.kind() == OtlpSink.Span.SERVER
                        && s.name().startsWith("DELETE")).findFirst().orElse(null);
                if (server != null && trace.stream().anyMatch(s -> s.service().equals("pos-service") && s.kind() == OtlpSink.Span.CLIENT)) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertTrue(run != null && server != null, "the run and pos-service's DELETE request in one trace: " + trace);
        assertEquals("orchestrator", run.service());
        assertEquals(tenant.toString(), run.attributes().get("deletion.tenant.id"));
        Map<String, OtlpSink.Span> byId = new LinkedHashMap<>();
        trace.forEach(s -> byId.put(s.spanId(), s));

        OtlpSink.Span client = byId.get(server.parentSpanId());
        assertTrue(client != null && client.kind() == OtlpSink.Span.CLIENT && client.service().equals("orchestrator"),
                "pos-service's request span is the child of the orchestrator's HTTP client span: " + client);
        OtlpSink.Span call = byId.get(client.parentSpanId());
        assertTrue(call != null && call.name().equals("deletion-service call"), "the client span's parent is a call span: " + call);
        assertEquals(Map.of("deletion.service", "pos-service", "deletion.attempt", "1", "deletion.outcome", "success"),
                Map.of("deletion.service", call.attributes().get("deletion.service"), "deletion.attempt",
                        call.attributes().get("deletion.attempt"), "deletion.outcome", call.attributes().get("deletion.outcome")));
        assertEquals(run.spanId(), call.parentSpanId(), "the call span's parent is the run");

        final OtlpSink.Span request = server;
        List<OtlpSink.Span> sql = trace.stream().filter(s -> s.service().equals("pos-service") && s.kind() == OtlpSink.Span.CLIENT)
                .filter(s -> descends(s, request, byId)).toList();
        List<String> statements = sql.stream().map(s -> s.attributes().getOrDefault("db.query.text",
                s.attributes().getOrDefault("db.statement", s.name())).toLowerCase(Locale.ROOT)).toList();
        for (String table : posTables()) {
            assertTrue(statements.stream().anyMatch(q -> q.contains("delete from " + table)),
                    "pos-service's DELETE from " + table + " is a span below its request: " + statements);
        }
        for (OtlpSink.Span span : trace) {
            span.attributes().values().forEach(v -> assertTrue(!v.contains("Bearer") && !v.contains("Test Bakery"), span + ""));
        }
    }

    private static boolean descends(OtlpSink.Span span, OtlpSink.Span ancestor, Map<String, OtlpSink.Span> byId) {
        for (OtlpSink.Span s = span; s != null; s = byId.get(s.parentSpanId())) {
            if (s.spanId().equals(ancestor.spanId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A row of another tenant references the tenant's rows: pos-service (budgeted, so batched) deletes the
     * children in committed batches, then answers 409 for the referenced table; the job records exactly those
     * committed batches — the figure an auditor reads matches what is really gone — and does not retry.
     */
    @Test
    void aRealCrossTenantReferenceFailsTheServiceAndTheJobCountsTheCommittedBatches() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        try (Connection db = SERVER.connect(POS_DB)) {
            seedPos(db, tenant, 600);
            seedPos(db, other, 600);
            TestDb.update(db, """
                    insert into pos_devices (id, tenant_id, configuration_id, device_name)
                    select gen_random_uuid(), ?, id, 'borrowed register' from pos_configurations where tenant_id = ? limit 1""",
                    other, tenant);
        }
        Map<String, Long> seeded = counts(tenant);
        Map<String, String> otherBefore = checksums(other);

        Response job = runJob(tenant).job();
        assertEquals("failed", job.jsonPath().getString("status"), job.asString());
        assertEquals("failed", job.jsonPath().getString("services[0].status"), job.asString());
        assertTrue(job.jsonPath().getString("services[0].error").contains("foreign_key_conflict"), job.asString());
        assertEquals(1, job.jsonPath().getInt("services[0].attempts"), "a conflict is not retried: " + job.asString());
        Map<String, Long> left = counts(tenant);
        Map<String, Object> reported = job.jsonPath().getMap("services[0].deleted_counts");
        long recorded = 0;
        for (String table : posTables()) {
            long gone = seeded.get(table) - left.get(table);
            assertEquals(gone, ((Number) reported.get(table)).longValue(), table + ": the job counts what really went");
            recorded += gone;
        }
        assertTrue(recorded > 0, "the children went in committed batches: " + job.asString());
        assertTrue(left.get("pos_configurations") > 0, "the referenced table stays");
        assertEquals(recorded, job.jsonPath().getLong("total_items_deleted"));
        assertEquals(otherBefore, checksums(other), "the referencing tenant is untouched");
    }

    /**
     * A database error in pos-service (a trigger raises, its message naming a host): the job, read by the tenant's
     * owner, says what failed in stable words — no SQLSTATE, no "ERROR:", no host, no exception class; pos-service's
     * log line has the database's own text with the Idempotency-Key (the job id), the orchestrator's names the job.
     */
    @Test
    void aDatabaseErrorReachesTheTenantInStableWordsAndTheLogsWithTheJobId() throws Exception {
        UUID tenant = UUID.randomUUID();
        try (Connection db = SERVER.connect(POS_DB); Statement sql = db.createStatement()) {
            seedPos(db, tenant, 60);
            sql.execute("""
                    create function e2e_fail() returns trigger language plpgsql as $$
                    begin raise exception 'disk full on db-primary.internal:5432'; end $$;
                    create trigger e2e_fail before delete on pos_transactions for each statement execute function e2e_fail();
                    """);
        }
        Response job;
        try {
            String jobId = runJob(tenant).job().jsonPath().getString("job_id");
            job = given().baseUri(orchestrator).header("Authorization", "Bearer " + TestTokens.user("owner", tenant))
                    .get("/api/v1/deletion-jobs/" + jobId);
            assertEquals(200, job.statusCode(), job.asString());
            assertEquals("failed", job.jsonPath().getString("status"), job.asString());
            String error = job.jsonPath().getString("services[0].error");
            assertTrue(error.startsWith("DELETE to pos-service answered HTTP 500 deletion_failed: deletion failed: database error (attempt "),
                    error);
            for (String internal : List.of("SQLSTATE", "P0001", "ERROR:", "db-primary", "5432", "127.0.0.1", "Exception", "disk full")) {
                assertTrue(!job.asString().contains(internal), "the job shows " + internal + ": " + job.asString());
            }
            awaitLogLine("pos-service", jobId + ":pos-service", "disk full on db-primary.internal:5432", "SQLSTATE P0001");
            awaitLogLine("orchestrator", "job " + jobId, "deletion in pos-service failed", "deletion_failed");
        } finally {
            try (Connection db = SERVER.connect(POS_DB); Statement sql = db.createStatement()) {
                sql.execute("drop trigger e2e_fail on pos_transactions; drop function e2e_fail()");
            }
        }
    }

    /** Waits (the log is written asynchronously to the file) for a line of the process's log holding every word. */
    private static void awaitLogLine(String process, String... words) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            if (Files.readAllLines(LOGS.resolve(process + ".log")).stream()
                    .anyMatch(line -> java.util.Arrays.stream(words).allMatch(line::contains))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("no line of " + process + ".log holds " + List.of(words) + ":\n" + tail(LOGS.resolve(process + ".log")));
            }
            Thread.sleep(100);
        }
    }

    /**
     * Issue 22, point 5: a job fails after pos_transactions went (pos_sessions' DELETE raises); pos-service prunes
     * the job's receipt (what deletion.receipts.retention does: the row goes); the tenant writes 40 more
     * transactions; the retry opens a new receipt under the same key, which counts only what it deletes. The job
     * adds it to what the pruned receipt counted: every figure is the rows that really went (a max-merge said 600-odd
     * transactions instead of 640-odd).
     */
    @Test
    void aRetryAfterThePrunedReceiptCountsExactly() throws Exception {
        UUID tenant = UUID.randomUUID();
        try (Connection db = SERVER.connect(POS_DB)) {
            seedPos(db, tenant, 700);
        }
        Map<String, Long> seeded = counts(tenant);
        Response failed;
        try (Connection db = SERVER.connect(POS_DB); Statement sql = db.createStatement()) {
            sql.execute(TestTriggers.failAlways("pos_sessions"));
            failed = runJob(tenant).job();
        } finally {
            admin(POS_DB, TestTriggers.drop("pos_sessions"));
        }
        assertEquals("failed", failed.jsonPath().getString("status"), failed.asString());
        assertEquals(seeded.get("pos_transactions"), failed.jsonPath().getLong("services[0].deleted_counts.pos_transactions"),
                failed.asString());
        String jobId = failed.jsonPath().getString("job_id");
        String receipt;
        try (Connection db = SERVER.connect(POS_DB); Statement sql = db.createStatement()) {
            try (ResultSet rs = sql.executeQuery("select first_call_at from deletion_receipts where idempotency_key = '"
                    + jobId + ":pos-service'")) {
                assertTrue(rs.next(), "the job's receipt");
                receipt = rs.getString(1);
            }
            assertEquals(1, sql.executeUpdate("delete from deletion_receipts where idempotency_key = '" + jobId + ":pos-service'"),
                    "pruned, as after deletion.receipts.retention");
            TestDb.update(db, """
                    insert into pos_transactions (id, tenant_id, session_id, configuration_id, amount)
                    select gen_random_uuid(), tenant_id, id, configuration_id, 9.99
                      from pos_sessions where tenant_id = ? limit 40""", tenant);
        }
        Map<String, Long> before = counts(tenant);
        assertEquals(40L, before.get("pos_transactions"), "a late writer's rows");

        long started = System.nanoTime();
        given().baseUri(orchestrator).header("Authorization", "Bearer " + TestTokens.service())
                .post("/api/v1/deletion-jobs/" + jobId + "/retry").then().statusCode(202);
        Response job = awaitSettled(jobId, started).job();
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertEquals(0L, TestDb.total(counts(tenant)));
        Map<String, Object> reported = job.jsonPath().getMap("services[0].deleted_counts");
        long total = 0;
        for (String table : posTables()) {
            long gone = seeded.get(table) + (table.equals("pos_transactions") ? 40 : 0);
            assertEquals(gone, ((Number) reported.get(table)).longValue(), table + ": both receipts' rows, added: " + job.asString());
            total += gone;
        }
        assertEquals(total, job.jsonPath().getLong("total_items_deleted"));
        try (Connection db = SERVER.connect(POS_DB); Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("select first_call_at from deletion_receipts where idempotency_key = '"
                        + jobId + ":pos-service'")) {
            assertTrue(rs.next());
            assertNotEquals(receipt, rs.getString(1), "the retry opened a new receipt");
        }
    }

    /**
     * The packaged orchestrator logs JSON lines; those of the job's run carry job_id and tenant_id, and the
     * service it is about (orchestrator, or the called service for its pipeline). No log line of either
     * process carries a bearer token.
     */
    private static void assertJobLogLines(String jobId, UUID tenant) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Set<String> services = new java.util.TreeSet<>();
        int jobLines = 0;
        for (String line : Files.readAllLines(LOGS.resolve("orchestrator.log"))) {
            if (!line.startsWith("{") || !line.contains(jobId) && !line.contains("pos-service finished")) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode mdc = json.readTree(line).path("mdc");
            if (!jobId.equals(mdc.path("job_id").asText())) {
                continue; // another job's line
            }
            assertEquals(tenant.toString(), mdc.path("tenant_id").asText(), line);
            services.add(mdc.path("service").asText());
            jobLines++;
        }
        assertTrue(jobLines >= 3, "the job's run logged too little: " + jobLines + " lines");
        assertEquals(java.util.Set.of("orchestrator", "pos-service"), services, "service field of the job's log lines");
        for (String process : List.of("orchestrator", "pos-service")) {
            for (String line : Files.readAllLines(LOGS.resolve(process + ".log"))) {
                assertTrue(!line.contains("Bearer") && !line.contains("eyJ"), process + " logged a token: " + line);
            }
        }
    }

    private record Timed(Response job, long millis) {
    }

    /** deletion_jobs_total{status="completed"} in a metrics scrape (value, then perhaps a timestamp); 0 before the first. */
    private static long completedJobs(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("deletion_jobs_total{status=\"completed\"}"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf("} ") + 2).split(" ")[0])).findFirst().orElse(0);
    }

    /** POSTs a job for the tenant and polls it until its final status; the time is POST to final status. */
    private static Timed runJob(UUID tenant) throws InterruptedException {
        long started = System.nanoTime();
        Response created = given().baseUri(orchestrator).header("Authorization", "Bearer " + TestTokens.serviceFor("orchestrator"))
                .contentType("application/json").body("{\"tenant_id\":\"" + tenant + "\",\"reason\":\"e2e\"}")
                .post("/api/v1/deletion-jobs");
        assertEquals(202, created.statusCode(), created.asString());
        return awaitSettled(created.jsonPath().getString("job_id"), started);
    }

    /** Polls the job until it is neither pending nor running; the time is from {@code started}. */
    private static Timed awaitSettled(String jobId, long started) throws InterruptedException {
        long deadline = started + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Response job = given().baseUri(orchestrator).header("Authorization", "Bearer " + TestTokens.serviceFor("orchestrator"))
                    .get("/api/v1/deletion-jobs/" + jobId);
            String status = job.jsonPath().getString("status");
            if (!"pending".equals(status) && !"running".equals(status)) {
                return new Timed(job, Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
            Thread.sleep(10);
        }
        fail("job " + jobId + " did not finish in 3 minutes");
        return null;
    }

    /** FK-consistent POS rows, set-based (the same shapes as pos-service's own test seeder). */
    private static void seedPos(Connection db, UUID tenant, int rows) throws SQLException {
        int configurations = Math.max(2, rows / 60);
        int devices = Math.max(2, rows / 30);
        int sessions = Math.max(4, rows / 6);
        int transactions = Math.max(4, rows - configurations - devices - sessions);
        TestDb.update(db, """
                insert into pos_configurations (id, tenant_id, provider, name, is_active)
                select gen_random_uuid(), ?, (array['square','sumup','toast'])[1 + g % 3], 'register ' || g, g % 5 <> 0
                from generate_series(1, ?) g""", tenant, configurations);
        TestDb.update(db, """
                insert into pos_devices (id, tenant_id, configuration_id, device_name, serial_number)
                select gen_random_uuid(), ?, c.id, 'device ' || g, case when g % 4 = 0 then null else 'SN-' || g end
                from generate_series(1, ?) g
                join (select id, row_number() over (order by id) - 1 as rn, count(*) over () as n
                      from pos_configurations where tenant_id = ?) c on c.rn = g % c.n""", tenant, devices, tenant);
        TestDb.update(db, """
                insert into pos_sessions (id, tenant_id, configuration_id, device_id, status, opened_at, closed_at)
                select gen_random_uuid(), ?, d.configuration_id, case when g % 3 = 0 then null else d.id end,
                       case when g % 2 = 0 then 'closed' else 'open' end, now() - g * interval '1 minute',
                       case when g % 2 = 0 then now() end
                from generate_series(1, ?) g
                join (select id, configuration_id, row_number() over (order by id) - 1 as rn, count(*) over () as n
                      from pos_devices where tenant_id = ?) d on d.rn = g % d.n""", tenant, sessions, tenant);
        TestDb.update(db, """
                insert into pos_transactions (id, tenant_id, session_id, configuration_id, external_id, amount, currency)
                select gen_random_uuid(), ?, s.id, s.configuration_id, case when g % 5 = 0 then null else 'ext-' || g end,
                       1 + (g % 10000) / 100.0, case when g % 7 = 0 then 'USD' else 'EUR' end
                from generate_series(1, ?) g
                join (select id, configuration_id, row_number() over (order by id) - 1 as rn, count(*) over () as n
                      from pos_sessions where tenant_id = ?) s on s.rn = g % s.n""", tenant, transactions, tenant);
        try (Statement statement = db.createStatement()) {
            statement.execute("analyze");
        }
    }

    /** pos-service's tenant tables as its database's catalog shows them (children first). */
    private static List<String> posTables() throws SQLException {
        try (Connection db = SERVER.connect(POS_DB)) {
            return TestDb.tenantTables(db);
        }
    }

    private static Map<String, Long> counts(UUID tenant) throws SQLException {
        try (Connection db = SERVER.connect(POS_DB)) {
            return TestDb.counts(db, TestDb.tenantTables(db), tenant);
        }
    }

    private static Map<String, String> checksums(UUID tenant) throws SQLException {
        try (Connection db = SERVER.connect(POS_DB)) {
            return TestDb.checksums(db, TestDb.tenantTables(db), tenant);
        }
    }

    private static Path jar(String property, String build) {
        String location = System.getProperty(property);
        if (location == null || !Files.isRegularFile(Path.of(location))) {
            fail("packaged jar not found at " + location + " (" + property + "); build it first: " + build);
        }
        return Path.of(location);
    }

    private static List<String> javaJar(Path jar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString());
    }

    private static void start(List<String> command, Map<String, String> environment, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(LOGS.resolve(name + ".log").toFile());
        PROCESSES.add(builder.start());
    }

    private static void awaitReady(String baseUrl, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (given().baseUri(baseUrl).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // connection refused while starting
            }
            Thread.sleep(250);
        }
        fail(name + " was not ready within 90 s; see " + LOGS.resolve(name + ".log") + ":\n"
                + tail(LOGS.resolve(name + ".log")));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void admin(String database, String sql) throws SQLException {
        try (Connection db = SERVER.connect(database); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection admin = SERVER.connectAdmin(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

}
