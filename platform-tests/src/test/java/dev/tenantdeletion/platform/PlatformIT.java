package dev.tenantdeletion.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.testing.ObservabilityFiles;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import dev.tenantdeletion.testing.TestTriggers;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole platform as it runs in production: the four packaged apps (pos-service, external-service,
 * alert-processor, orchestrator) as separate JVM processes on real PostgreSQL databases, started once for
 * all scenarios. pos, external and orchestrator live on the local server (DELETION_TEST_PG_URL, throwaway
 * databases); alert-processor's database lives on an embedded PostgreSQL the suite can stop and start again.
 * Process logs: target/platform/&lt;name&gt;.log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {

    private static final Path WORK = Path.of("target", "platform").toAbsolutePath();
    private static final String ALERTS_DB = "alerts";
    private static final Set<String> FINAL = Set.of("completed", "partially_failed", "failed");
    private static final int TENANT_ROWS = 300;
    private static final double SLEEP_SECONDS = 5;

    private static Platform platform;
    private static App pos;
    private static App external;
    private static App alerts;
    private static App orchestrator;

    /** A fourth service that records the tokens the orchestrator sends it (registered from scenario 6 on). */
    private static SpyService spy;
    private static boolean spyRegistered;

    private static EmbeddedPostgres alertsPg;
    private static int alertsPgPort;
    private static Path alertsPgData;

    private static final List<UUID> NEIGHBOURS = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    private static final Map<UUID, Map<String, String>> NEIGHBOUR_CHECKSUMS = new LinkedHashMap<>();

    // ------------------------------------------------------------------ platform start and stop

    @BeforeAll
    static void startThePlatform() throws Exception {
        long started = System.nanoTime();
        platform = new Platform("platform-tests", "platform", WORK);
        spy = new SpyService();
        for (String label : Platform.APPS) {
            Files.deleteIfExists(WORK.resolve(Platform.name(label) + ".log")); // this run's logs only; restarts within it append
        }
        for (String label : List.of("pos", "external", "orchestrator")) {
            platform.createDatabase(label);
        }
        alertsPgPort = Platform.freePort();
        alertsPgData = WORK.resolve("alerts-pgdata");
        deleteRecursively(alertsPgData);
        startAlertsPg();
        try (Connection admin = alertsPg.getPostgresDatabase().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("create database " + ALERTS_DB);
        }
        platform.useDatabase("alerts", Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + alertsPgPort + "/" + ALERTS_DB,
                "QUARKUS_DATASOURCE_USERNAME", "postgres"), PlatformIT::connectAlerts);

        pos = platform.app("pos", platform.environment("pos"));
        external = platform.app("external", platform.environment("external"));
        alerts = platform.app("alerts", platform.environment("alerts"));
        Map<String, String> orch = platform.environment("orchestrator");
        for (String service : Platform.SERVICES) {
            // longer than the test triggers' sleep: a slow DELETE is not a timeout here
            orch.put("DELETION_SERVICES_" + Platform.envName(service) + "_TIMEOUT", "20s");
        }
        orch.put("DELETION_RETRY_MAX_ATTEMPTS", "2");
        // a dead service fails its part within a second here (scenarios 2 and 4); RollingDeployIT tests the horizon
        orch.put("DELETION_RETRY_HORIZON", "PT1S");
        orch.put("DELETION_RETRY_INITIAL_BACKOFF", "200ms");
        orch.put("DELETION_JOBS_LEASE", "3s");
        orch.put("DELETION_JOBS_SWEEP_INTERVAL", "500ms");
        // a follow-up job of re-verification runs 5 s after the sweep that found the rows (scenario 11)
        orch.put("DELETION_REVERIFY_GRACE_PERIOD", "PT5S");
        // a sweep left by a killed replica is taken over within seconds (scenario 12)
        orch.put("DELETION_REVERIFY_POLL", "1s");
        orchestrator = platform.app("orchestrator", orch);

        for (App app : platform.apps()) {
            app.start();
        }
        for (App app : platform.apps()) {
            platform.awaitReady(app, Duration.ofSeconds(150));
        }
        log("platform started in %d ms", millisSince(started));

        seedTenants(NEIGHBOURS, TENANT_ROWS);
        for (UUID neighbour : NEIGHBOURS) {
            NEIGHBOUR_CHECKSUMS.put(neighbour, checksums(neighbour));
            assertEquals(3L * TENANT_ROWS, TestDb.total(counts(neighbour)), "seeded neighbour " + neighbour);
        }
    }

    @AfterAll
    static void stopThePlatform() {
        if (platform == null) {
            return;
        }
        platform.apps().forEach(App::stop);
        if (spy != null) {
            spy.close();
        }
        if (alertsPg != null) {
            try {
                alertsPg.close();
                deleteRecursively(alertsPgData);
            } catch (Exception e) {
                log("could not stop the embedded PostgreSQL: %s", e);
            }
        }
        platform.stop();
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    @Order(1)
    void aJobDeletesASeededTenantEverywhereAndLeavesTheNeighboursUnchanged() throws Exception {
        long started = System.nanoTime();
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, TENANT_ROWS);
        Map<String, Long> seeded = counts(tenant);
        assertEquals(3L * TENANT_ROWS, TestDb.total(seeded));

        Response preview = asService().get(orchestrator.baseUri() + "/api/v1/tenants/" + tenant + "/deletion-preview");
        assertEquals(200, preview.statusCode(), preview.asString());
        assertEquals(3L * TENANT_ROWS, preview.jsonPath().getLong("total_items"));
        assertEquals(List.of(), preview.jsonPath().getList("unavailable"));

        Response job = awaitFinal(postJob(tenant), Duration.ofSeconds(120));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
        assertEquals(3, job.jsonPath().getInt("services_total"));
        assertEquals(3, job.jsonPath().getInt("services_completed"));
        assertEquals(0, job.jsonPath().getInt("services_failed"));
        assertEquals(3L * TENANT_ROWS, job.jsonPath().getLong("total_items_deleted"));
        assertEquals(Map.of("pos-service", "completed", "external-service", "completed", "alert-processor", "completed"),
                serviceStatuses(job));
        assertTenantGone(tenant);
        assertNeighboursUnchanged();
        log("scenario 1 (delete a tenant) in %d ms", millisSince(started));
    }

    @Test
    @Order(2)
    void killingAServiceMidJobFailsItsPartAndARetryAfterItsRestartCompletes() throws Exception {
        long started = System.nanoTime();
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, TENANT_ROWS);
        Map<String, String> externalBefore = checksumsOf(tenant, "external");

        platform.executeOn("external", TestTriggers.sleepBeforeDelete("external_api_logs", SLEEP_SECONDS));
        String jobId;
        try {
            jobId = postJob(tenant);
            awaitDeleteSleeping("external");
            assertEquals("running", job(jobId).jsonPath().getString("status"), "the job is in flight when the service dies");
            external.kill9();
            Response job = awaitFinal(jobId, Duration.ofSeconds(90));
            assertEquals("partially_failed", job.jsonPath().getString("status"), job.asString());
            assertEquals(Map.of("pos-service", "completed", "external-service", "failed", "alert-processor", "completed"),
                    serviceStatuses(job), job.asString());
            assertEquals(1, job.jsonPath().getInt("services_failed"));
            assertNotNull(service(job, "external-service").get("error"), "the failure is recorded: " + job.asString());
        } finally {
            // waits for the orphaned DELETE (its client is dead: it can only roll back)
            platform.executeOn("external", TestTriggers.dropAll("external_api_logs"));
        }
        assertEquals(externalBefore, checksumsOf(tenant, "external"), "the killed service's transaction was rolled back");
        assertEquals(0L, TestDb.total(countsOf(tenant, "pos")) + TestDb.total(countsOf(tenant, "alerts")), "the other services did their part");

        // a retry while the service is still down is accepted and fails again, without touching its data
        retry(jobId);
        Response failedAgain = awaitFinal(jobId, Duration.ofSeconds(60));
        assertEquals("partially_failed", failedAgain.jsonPath().getString("status"), failedAgain.asString());
        assertEquals("failed", serviceStatuses(failedAgain).get("external-service"), failedAgain.asString());
        assertEquals(externalBefore, checksumsOf(tenant, "external"));

        external.start();
        platform.awaitReady(external, Duration.ofSeconds(120));
        retry(jobId);
        Response job = awaitFinal(jobId, Duration.ofSeconds(90));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
        assertEquals(TENANT_ROWS, ((Number) service(job, "external-service").get("total_deleted")).intValue(), job.asString());
        assertEquals(3L * TENANT_ROWS, job.jsonPath().getLong("total_items_deleted"), "exact over both runs: " + job.asString());
        assertTenantGone(tenant);
        assertNeighboursUnchanged();

        Response again = asService().post(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId + "/retry");
        assertEquals(409, again.statusCode(), again.asString());
        assertEquals("job_not_retryable", again.jsonPath().getString("error"));
        log("scenario 2 (kill -9 a service) in %d ms", millisSince(started));
    }

    @Test
    @Order(3)
    void killingTheOrchestratorMidJobThenRestartingItResumesAndCompletesTheJob() throws Exception {
        long started = System.nanoTime();
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, TENANT_ROWS);
        long oldPid = orchestrator.process().pid();

        platform.executeOn("pos", TestTriggers.sleepBeforeDelete("pos_transactions", SLEEP_SECONDS));
        String jobId;
        try {
            jobId = postJob(tenant);
            awaitDeleteSleeping("pos");
            assertEquals("running", job(jobId).jsonPath().getString("status"));
            orchestrator.kill9();
        } finally {
            platform.executeOn("pos", TestTriggers.dropAll("pos_transactions"));
        }
        orchestrator.start();
        assertNotEquals(oldPid, orchestrator.process().pid());
        platform.awaitReady(orchestrator, Duration.ofSeconds(120));

        Response job = awaitFinal(jobId, Duration.ofSeconds(120));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
        assertEquals(Map.of("pos-service", "completed", "external-service", "completed", "alert-processor", "completed"),
                serviceStatuses(job));
        // the pos DELETE in flight when the orchestrator died committed; the resumed run's call under the same
        // Idempotency-Key answers the receipt's totals, so nothing is lost from the audit figure
        assertEquals(3L * TENANT_ROWS, job.jsonPath().getLong("total_items_deleted"), job.asString());
        for (String service : List.of("pos-service", "external-service", "alert-processor")) {
            assertEquals(TENANT_ROWS, ((Number) service(job, service).get("total_deleted")).intValue(), service + ": " + job.asString());
        }
        Response list = asService().queryParam("tenant_id", tenant.toString()).get(orchestrator.baseUri() + "/api/v1/deletion-jobs");
        assertEquals(200, list.statusCode(), list.asString());
        assertEquals(1, list.jsonPath().getInt("total"), "the job was resumed, not replaced: " + list.asString());
        assertTenantGone(tenant);
        assertNeighboursUnchanged();
        log("scenario 3 (kill -9 the orchestrator) in %d ms", millisSince(started));
    }

    @Test
    @Order(4)
    void aStoppedDatabaseMakesItsServiceUnreadyAndFailsItsPartUntilItIsBack() throws Exception {
        long started = System.nanoTime();
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, TENANT_ROWS);
        Map<String, String> alertsBefore = checksumsOf(tenant, "alerts");
        long alertsPid = alerts.process().pid();

        alertsPg.close();
        alertsPg = null;
        try {
            Platform.awaitReadiness(alerts, 503, Duration.ofSeconds(60), 200);
            awaitReadyGauge(alerts, 0); // what the TenantDeletionServiceNotReady alert watches
            Response preview = as(Platform.token("alerts")).get(alerts.baseUri() + "/api/v1/alerts/tenant/" + tenant + "/deletion-preview");
            assertEquals(500, preview.statusCode(), preview.asString());
            assertTrue(preview.contentType().startsWith("application/json"), preview.contentType());
            String error = preview.jsonPath().getString("error");
            assertTrue(error != null && !error.isBlank(), preview.asString());

            Response job = awaitFinal(postJob(tenant), Duration.ofSeconds(90));
            assertEquals("partially_failed", job.jsonPath().getString("status"), job.asString());
            assertEquals("completed", serviceStatuses(job).get("pos-service"));
            assertEquals("completed", serviceStatuses(job).get("external-service"));
            assertTrue(Set.of("failed", "timed_out").contains(serviceStatuses(job).get("alert-processor")), job.asString());
            assertNotNull(service(job, "alert-processor").get("error"), job.asString());
            assertEquals(1, job.jsonPath().getInt("services_failed"));

            startAlertsPg();
            assertEquals(alertsBefore, checksumsOf(tenant, "alerts"), "nothing was deleted while the database was down");
            Platform.awaitReadiness(alerts, 200, Duration.ofSeconds(60), 200);
            awaitReadyGauge(alerts, 1);
            assertTrue(alerts.process().isAlive());
            assertEquals(alertsPid, alerts.process().pid(), "alert-processor was not restarted");

            String jobId = job.jsonPath().getString("job_id");
            retry(jobId);
            Response done = awaitFinal(jobId, Duration.ofSeconds(90));
            assertEquals("completed", done.jsonPath().getString("status"), done.asString());
            assertTrue(done.jsonPath().getBoolean("verified"), done.asString());
            assertEquals(TENANT_ROWS, ((Number) service(done, "alert-processor").get("total_deleted")).intValue(), done.asString());
            assertEquals(3L * TENANT_ROWS, done.jsonPath().getLong("total_items_deleted"), "exact over both runs: " + done.asString());
        } finally {
            if (alertsPg == null) {
                startAlertsPg();
            }
        }
        assertTenantGone(tenant);
        assertNeighboursUnchanged();
        log("scenario 4 (database stopped) in %d ms", millisSince(started));
    }

    @Test
    @Order(5)
    void fiftyJobsForFiftyTenantsStartedTogetherAllComplete() throws Exception {
        long started = System.nanoTime();
        int tenants = 50;
        int rows = 30;
        List<UUID> doomed = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            doomed.add(UUID.randomUUID());
        }
        seedTenants(doomed, rows);
        for (UUID tenant : doomed) {
            assertEquals(3L * rows, TestDb.total(counts(tenant)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(tenants);
        List<String> jobIds = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> posted = new ArrayList<>();
            for (UUID tenant : doomed) {
                Callable<String> post = () -> {
                    go.await();
                    return postJob(tenant);
                };
                posted.add(pool.submit(post));
            }
            go.countDown();
            for (Future<String> future : posted) {
                jobIds.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(tenants, new HashSet<>(jobIds).size(), "one job per tenant");

        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        List<String> notCompleted = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            Response job = awaitFinal(jobIds.get(i), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            assertEquals(doomed.get(i).toString(), job.jsonPath().getString("tenant_id"));
            if (!"completed".equals(job.jsonPath().getString("status")) || !job.jsonPath().getBoolean("verified")
                    || job.jsonPath().getLong("total_items_deleted") != 3L * rows) {
                notCompleted.add(job.asString());
            }
        }
        assertEquals(List.of(), notCompleted, "every job completed, verified, with exactly its tenant's rows");
        for (UUID tenant : doomed) {
            assertTenantGone(tenant);
        }
        assertNeighboursUnchanged();
        log("scenario 5 (50 concurrent jobs) in %d ms", millisSince(started));
    }

    /**
     * From here on the orchestrator runs as for a big tenant: pos-service's timeout is 2 s (so each call gets a
     * 1 s budget), and retries are patient enough to outlast a service restart.
     */
    @Test
    @Order(6)
    void killingAServiceInTheMiddleOfAManyCallDeletionEndsWithExactTotals() throws Exception {
        deleteABigTenantThrough("kill -9 a service", () -> {
            pos.kill9(); // mid-call: its open batch transaction dies with it
            pos.start();
            platform.awaitReady(pos, Duration.ofSeconds(120));
        });
    }

    @Test
    @Order(7)
    void killingTheOrchestratorInTheMiddleOfAManyCallDeletionEndsWithExactTotals() throws Exception {
        deleteABigTenantThrough("kill -9 the orchestrator", () -> {
            orchestrator.kill9(); // mid-call: pos finishes that call's batches into the receipt nobody reads yet
            orchestrator.start();
            platform.awaitReady(orchestrator, Duration.ofSeconds(120));
        });
    }

    /**
     * A graceful stop (SIGTERM) mid-job: the orchestrator stops claiming, waits its shutdown grace (2 s here, far
     * shorter than this job) for the run, then releases the job's lease, so the restarted one resumes it at once.
     */
    @Test
    @Order(8)
    void aGracefulStopReleasesTheLeaseOfAnUnfinishedJobAndTheNextStartFinishesItExactly() throws Exception {
        deleteABigTenantThrough("a graceful stop", () -> {
            String running = onlyRunningJob();
            orchestrator.stop();
            try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                    ResultSet rs = sql.executeQuery("select status, lease_owner from deletion_jobs where id = '" + running + "'")) {
                assertTrue(rs.next());
                assertEquals("running", rs.getString(1), "the job did not finish within the grace");
                assertEquals(null, rs.getString(2), "the stopping replica released the job's lease");
            }
            orchestrator.start();
            platform.awaitReady(orchestrator, Duration.ofSeconds(120));
        });
    }

    /**
     * A leaked outbound token is good for its one service only: the token the orchestrator sent the spy service
     * (aud "spy", no scope) is refused by the orchestrator (a new job, lifting a legal hold) and by pos-service
     * (preview, DELETE) with 401 and the Bearer challenge, while the same requests with their own tokens pass.
     */
    @Test
    @Order(9)
    void aTokenTheOrchestratorSentAServiceIsRefusedEverywhereElse() throws Exception {
        registerSpy();
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, 10);
        Response job = awaitFinal(postJob(tenant), Duration.ofSeconds(90));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertEquals("completed", serviceStatuses(job).get(SpyService.NAME), job.asString());
        List<SpyService.Seen> seen = spy.seen();
        assertTrue(seen.stream().anyMatch(r -> "DELETE".equals(r.method())), "the spy was called: " + seen);
        String leaked = seen.get(seen.size() - 1).authorization().substring("Bearer ".length());
        Map<String, Object> claims = claimsOf(leaked);
        assertEquals(SpyService.NAME, claims.get("aud"), "the token names the spy alone: " + claims);
        assertFalse(claims.containsKey("scope"), "outbound tokens carry no scope: " + claims);

        // the orchestrator: a new job and lifting a legal hold
        UUID other = UUID.randomUUID();
        String body = "{\"tenant_id\":\"" + other + "\",\"tenant_name\":\"Replay\",\"reason\":\"replayed token\"}";
        assertRefused("POST a job with the spy's token", leaked,
                as(leaked).contentType("application/json").body(body).post(orchestrator.baseUri() + "/api/v1/deletion-jobs"));
        asService().queryParam("tenant_id", other.toString()).get(orchestrator.baseUri() + "/api/v1/deletion-jobs")
                .then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
        String hold = orchestrator.baseUri() + "/api/v1/tenants/" + other + "/legal-hold";
        Response placed = as(adminToken()).contentType("application/json").body("{\"reason\":\"replay test\"}").put(hold);
        assertTrue(Set.of(200, 201).contains(placed.statusCode()), placed.asString());
        assertRefused("lift a legal hold with the spy's token", leaked, as(leaked).delete(hold));
        asService().get(hold).then().statusCode(200);
        Response lifted = as(adminToken()).delete(hold);
        assertTrue(lifted.statusCode() < 300, lifted.asString());

        // pos-service: preview and DELETE of a tenant holding rows there
        String posTenant = pos.baseUri() + "/api/v1/pos/tenant/" + NEIGHBOURS.get(0);
        assertRefused("pos preview with the spy's token", leaked, as(leaked).get(posTenant + "/deletion-preview"));
        assertRefused("pos DELETE with the spy's token", leaked, as(leaked).delete(posTenant));
        as(Platform.token("pos")).get(posTenant + "/deletion-preview").then().statusCode(200);
        assertNeighboursUnchanged();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claimsOf(String jwt) throws IOException {
        byte[] payload = java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload, Map.class);
    }

    private static void assertRefused(String what, String token, Response response) {
        assertEquals(401, response.statusCode(), what + ": " + response.asString());
        assertEquals("Bearer error=\"invalid_token\"", response.header("WWW-Authenticate"), what);
    }

    /** A service token for the orchestrator with the admin scope (legal holds need it from the third edition on). */
    private static String adminToken() {
        Map<String, Object> claims = TestTokens.claimsFor(Platform.name("orchestrator"), "platform-tests", "service", null, null);
        claims.put("scope", "deletion:admin");
        return TestTokens.rs256(claims);
    }

    /** Restarts the orchestrator with the spy in its registry, unless the big-tenant scenarios' restart did. */
    private static void registerSpy() throws Exception {
        if (spyRegistered) {
            return;
        }
        orchestrator.stop();
        orchestrator.environment("DELETION_SERVICES_SPY_URL", spy.url());
        orchestrator.start();
        platform.awaitReady(orchestrator, Duration.ofSeconds(120));
        spyRegistered = true;
    }

    /**
     * Issue 22, point 1 — a rolling deploy registers a service while a job is scheduled: the job was created by an
     * orchestrator without alert-processor in its registry; the orchestrator that runs it (restarted with
     * alert-processor registered) adds it, calls all three, and the certificate names the registry it was verified
     * against. Before, the job completed with two services and a certificate while alert-processor kept the rows.
     */
    @Test
    @Order(10)
    void aServiceRegisteredWhileAJobIsScheduledIsCalledWhenTheJobRuns() throws Exception {
        long started = System.nanoTime();
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, TENANT_ROWS);
        orchestrator.stop();
        orchestrator.environment("DELETION_SERVICES_ALERT_PROCESSOR_ENABLED", "false");
        String jobId;
        try {
            orchestrator.start();
            platform.awaitReady(orchestrator, Duration.ofSeconds(120));
            Response created = asService().contentType("application/json")
                    .body("{\"tenant_id\":\"" + tenant + "\",\"reason\":\"rolling deploy\",\"grace_period\":\"PT20S\"}")
                    .post(orchestrator.baseUri() + "/api/v1/deletion-jobs");
            assertEquals(202, created.statusCode(), created.asString());
            assertEquals("scheduled", created.jsonPath().getString("status"), created.asString());
            assertFalse(serviceStatuses(created).containsKey("alert-processor"), "the registry of the day: " + created.asString());
            jobId = created.jsonPath().getString("job_id");
            orchestrator.stop();
        } finally {
            orchestrator.environment("DELETION_SERVICES_ALERT_PROCESSOR_ENABLED", "true");
        }
        assertEquals("scheduled", jobStatusInStore(jobId), "the first orchestrator never ran it");
        orchestrator.start();
        platform.awaitReady(orchestrator, Duration.ofSeconds(120));

        Response job = awaitFinal(jobId, Duration.ofSeconds(150));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        Map<String, String> statuses = serviceStatuses(job);
        assertEquals("completed", statuses.get("alert-processor"), "registered since, and called: " + job.asString());
        assertTrue(statuses.values().stream().allMatch("completed"::equals), job.asString());
        assertEquals(3L * TENANT_ROWS, job.jsonPath().getLong("total_items_deleted"), job.asString());
        assertTenantGone(tenant);
        Response certificate = asService().get(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId + "/certificate");
        assertEquals(200, certificate.statusCode(), certificate.asString());
        // the registry it was verified against: the three services (and the spy service when an earlier scenario registered it)
        assertEquals(new java.util.TreeSet<>(statuses.keySet()).stream().toList(), certificate.jsonPath().getList("claims.registry"));
        assertNeighboursUnchanged();
        log("scenario 9 (a service registered while a job is scheduled) in %d ms", millisSince(started));
    }

    /**
     * Issue 22, re-verification on real processes: an erased tenant's rows put back into pos-service's database (as a
     * restore from a backup would) are found by the next sweep; the follow-up job runs after its grace period,
     * deletes exactly those rows and has a certificate of its own. A second tenant restored while under a legal hold
     * gets a follow-up that stays scheduled past its due time; cancelled (the data is legitimate), the tenant is no
     * longer erased and the next sweep does not flag it again.
     */
    @Test
    @Order(11)
    void rowsRestoredIntoAServiceAfterTheJobAreFoundByTheSweepAndErasedByAFollowUpJob() throws Exception {
        long started = System.nanoTime();
        UUID restored = UUID.randomUUID();
        UUID held = UUID.randomUUID();
        seedTenants(List.of(restored, held), 20);
        String erasing = postJob(restored);
        String heldJob = postJob(held);
        assertEquals("completed", awaitFinal(erasing, Duration.ofSeconds(120)).jsonPath().getString("status"));
        assertEquals("completed", awaitFinal(heldJob, Duration.ofSeconds(120)).jsonPath().getString("status"));
        platform.seed("pos", List.of(restored, held), 30);
        long back = TestDb.total(platform.counts(restored, "pos"));
        assertEquals(30L, back, "rows back in pos-service");
        String hold = orchestrator.baseUri() + "/api/v1/tenants/" + held + "/legal-hold";
        as(adminToken()).contentType("application/json").body("{\"reason\":\"litigation\"}").put(hold).then().statusCode(200);

        Response sweep = sweepNow();
        List<Map<String, Object>> reappeared = sweep.jsonPath().getList("reappeared");
        assertEquals(Set.of(restored.toString(), held.toString()), reappeared.stream().map(r -> (String) r.get("tenant_id"))
                .collect(java.util.stream.Collectors.toSet()), sweep.asString());
        assertTrue(reappeared.stream().allMatch(r -> "pos-service".equals(r.get("service")) && ((Number) r.get("rows")).longValue() == 30),
                sweep.asString());
        List<String> followUps = sweep.jsonPath().getList("follow_up_jobs");
        assertEquals(2, followUps.size(), sweep.asString());
        String followUp = followUpOf(restored, followUps);
        String heldFollowUp = followUpOf(held, followUps);

        Response first = job(followUp);
        assertEquals("reverification", first.jsonPath().getString("requested_by"), first.asString());
        assertEquals(erasing, first.jsonPath().getString("follows_job_id"), first.asString());
        Response done = awaitFinal(followUp, Duration.ofSeconds(120));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertEquals(30L, done.jsonPath().getLong("total_items_deleted"), "exactly the restored rows: " + done.asString());
        assertTenantGone(restored);
        asService().get(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + followUp + "/certificate").then().statusCode(200);

        // the hold keeps the other follow-up scheduled although it is due (5 s grace)
        Thread.sleep(6_000);
        Response waiting = job(heldFollowUp);
        assertEquals("scheduled", waiting.jsonPath().getString("status"), waiting.asString());
        assertEquals("legal_hold", waiting.jsonPath().getString("blocked_by"), waiting.asString());
        asService().post(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + heldFollowUp + "/cancel").then().statusCode(200);
        as(adminToken()).delete(hold).then().statusCode(204);
        Response again = sweepNow();
        List<Map<String, Object>> flagged = again.jsonPath().getList("reappeared");
        assertTrue(flagged.stream().noneMatch(r -> held.toString().equals(r.get("tenant_id"))),
                "a cancelled follow-up makes the tenant no longer erased: " + again.asString());
        assertEquals(30L, TestDb.total(platform.counts(held, "pos")), "the legitimate rows stay");
        assertNeighboursUnchanged();
        log("scenario 11 (re-verification after a restore) in %d ms", millisSince(started));
    }

    /**
     * Issue 22: kill -9 of the replica that is sweeping, mid-sweep. A second orchestrator replica (pages of 100
     * tenants, so the sweep over 20,000 erased tenants takes a while) runs a sweep on request; once it holds the
     * sweep's lease and has checked some pages it is killed. The first replica takes the lease when it expires
     * (DELETION_JOBS_LEASE, 3 s here) and completes each service's pass from its stored cursor: the pass it completes is
     * the one the killed replica started, and it covered every erased tenant.
     */
    @Test
    @Order(12)
    void killingTheSweepingReplicaMidSweepLetsTheOtherReplicaCompleteTheSweep() throws Exception {
        long started = System.nanoTime();
        int erased = 20_000;
        try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement()) {
            sql.execute("""
                    insert into deletion_jobs (id, tenant_id, tenant_name, reason, requested_by, status, verified, created_at, started_at,
                                               completed_at, registry)
                    select gen_random_uuid(), gen_random_uuid(), 'Sweep takeover', 'sweep takeover', 'platform-tests', 'completed', true,
                           now() - interval '2 days', now() - interval '2 days', now() - interval '2 days',
                           '{alert-processor,external-service,pos-service}'
                      from generate_series(1, %d)""".formatted(erased));
        }
        Map<String, String> environment = platform.environment("orchestrator");
        environment.putAll(Map.of("DELETION_JOBS_LEASE", "3s", "DELETION_REVERIFY_BATCH_SIZE", "100", "DELETION_REVERIFY_POLL", "1s"));
        if (spyRegistered) {
            environment.put("DELETION_SERVICES_SPY_URL", spy.url());
        }
        App replica = platform.replica("orchestrator", "orchestrator-b", environment);
        try {
            replica.start();
            platform.awaitReady(replica, Duration.ofSeconds(120));
            java.time.OffsetDateTime requested = databaseNow();
            java.util.concurrent.CompletableFuture.runAsync(() -> as(adminToken()).post(replica.baseUri() + "/api/v1/reverifications"));
            String owner = awaitSweepUnderWay(requested);
            replica.kill9();
            java.time.OffsetDateTime killed = databaseNow();

            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<String> unfinished = List.of("(not read)");
            while (System.nanoTime() < deadline) {
                unfinished = new ArrayList<>();
                try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                        ResultSet rs = sql.executeQuery("select service, last_completed_at, last_pass_started_at, last_pass_tenants"
                                + " from reverification_progress order by service")) {
                    while (rs.next()) {
                        java.time.OffsetDateTime completed = rs.getObject(2, java.time.OffsetDateTime.class);
                        java.time.OffsetDateTime passStarted = rs.getObject(3, java.time.OffsetDateTime.class);
                        boolean finishedByTheOther = completed != null && completed.isAfter(killed) && passStarted != null
                                && passStarted.isAfter(requested) && passStarted.isBefore(killed) && rs.getLong(4) >= erased;
                        if (!finishedByTheOther) {
                            unfinished.add(rs.getString(1) + " completed " + completed + ", pass of " + passStarted + ", " + rs.getLong(4));
                        }
                    }
                }
                if (unfinished.isEmpty()) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(List.of(), unfinished, "every service's pass, started by the killed replica, completed after its death;"
                    + " killed at " + killed + "\n" + orchestrator.tail());
            try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                    ResultSet rs = sql.executeQuery("select count(*) from deletion_jobs where requested_by = 'reverification'"
                            + " and created_at > now() - interval '10 minutes' and tenant_id in"
                            + " (select tenant_id from deletion_jobs where reason = 'sweep takeover')")) {
                rs.next();
                assertEquals(0L, rs.getLong(1), "tenants without rows get no follow-up job");
            }
            log("scenario 12 (kill -9 the sweeping replica, lease %s) in %d ms", owner, millisSince(started));
        } finally {
            replica.stop();
            try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement()) {
                sql.execute("delete from deletion_jobs where reason = 'sweep takeover'");
            }
        }
    }

    private static java.time.OffsetDateTime databaseNow() throws SQLException {
        try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("select now()")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class);
        }
    }

    /** Waits until a sweep requested at {@code requested} holds the lease and has checked pages; answers the lease's owner. */
    private static String awaitSweepUnderWay(java.time.OffsetDateTime requested) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                    ResultSet rs = sql.executeQuery("select l.lease_owner, (select count(*) from reverification_progress p"
                            + " where p.pass_started_at > '" + requested + "' and p.pass_tenants > 0)"
                            + " from reverification_lease l where l.lease_owner is not null")) {
                if (rs.next() && rs.getLong(2) > 0) {
                    return rs.getString(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the second replica's sweep never got under way");
    }

    /** POST /api/v1/reverifications with an admin token; a 409 while a periodic sweep runs is asked again. */
    private static Response sweepNow() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Response sweep = as(adminToken()).post(orchestrator.baseUri() + "/api/v1/reverifications");
            if (sweep.statusCode() != 409 || System.nanoTime() > deadline) {
                assertEquals(200, sweep.statusCode(), sweep.asString());
                return sweep;
            }
            Thread.sleep(200);
        }
    }

    private static String followUpOf(UUID tenant, List<String> jobIds) {
        return jobIds.stream().filter(id -> tenant.toString().equals(job(id).jsonPath().getString("tenant_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no follow-up job for " + tenant + " among " + jobIds));
    }

    private static String jobStatusInStore(String jobId) throws SQLException {
        try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("select status from deletion_jobs where id = '" + jobId + "'")) {
            assertTrue(rs.next(), "job " + jobId + " stored");
            return rs.getString(1);
        }
    }

    /**
     * deploy/observability's dashboard and alert rules use only metric names the apps really export: after one
     * more job (so every histogram has samples on the processes as they run now), the union of the four apps'
     * /q/metrics holds every name the files use.
     */
    @Test
    @Order(100)
    void everyMetricNameOfTheDashboardAndTheAlertRulesIsExported() throws Exception {
        UUID tenant = UUID.randomUUID();
        seedTenant(tenant, 10);
        Response done = awaitFinal(postJob(tenant), Duration.ofSeconds(90));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        Set<String> exported = new java.util.TreeSet<>();
        for (App app : List.of(pos, external, alerts, orchestrator)) {
            String scrape = given().get(app.baseUri() + "/q/metrics").then().statusCode(200).extract().asString();
            Set<String> names = ObservabilityFiles.sampleNames(scrape);
            assertTrue(names.contains("tenant_deletion_ready"), app.name + " exports its readiness");
            exported.addAll(names);
            // no OTLP endpoint is configured here: nothing may try to export traces (and fail at localhost:4317)
            assertFalse(Files.readString(app.log()).contains("Failed to export"), app.name + " tried to export traces");
        }
        Set<String> used = ObservabilityFiles.metricNames();
        Set<String> missing = new java.util.TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "names the dashboard or the alert rules use but no app exports");
        assertTrue(used.size() >= 10, "the files use " + used);
    }

    /** Polls the app's tenant_deletion_ready gauge (refreshed every 10 s) until it shows {@code value}. */
    private static void awaitReadyGauge(App app, int value) throws Exception {
        String series = "tenant_deletion_ready{application=\"" + app.name + "\"} ";
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = given().get(app.baseUri() + "/q/metrics").then().statusCode(200).extract().asString();
            if (last.lines().anyMatch(line -> line.startsWith(series) && Double.parseDouble(line.substring(series.length())) == value)) {
                return;
            }
            Thread.sleep(250);
        }
        fail(app.name + " never exported " + series + "; last: " + last.lines().filter(l -> l.startsWith("tenant_deletion_ready")).toList());
    }

    private static String onlyRunningJob() throws SQLException {
        try (Connection db = platform.connect("orchestrator"); Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("select id from deletion_jobs where status = 'running'")) {
            assertTrue(rs.next(), "a job is running");
            String id = rs.getString(1);
            assertFalse(rs.next(), "only one job is running");
            return id;
        }
    }

    private interface Fault {
        void strike() throws Exception;
    }

    /**
     * A job for a tenant whose pos part needs more than 10 budgeted calls; the fault strikes while a pos call
     * is in flight (after 3 calls); the job must still end completed, verified, with exactly the rows seeded.
     */
    private static void deleteABigTenantThrough(String fault, Fault strike) throws Exception {
        useBigTenantSettings();
        long started = System.nanoTime();
        UUID tenant = UUID.randomUUID();
        long seeded = seedBigTenant(tenant);
        platform.executeOn("pos", TestTriggers.sleepBeforeDelete("pos_transactions", THROTTLE_SECONDS));
        Response job;
        try {
            String jobId = postJob(tenant);
            awaitPosCalls(jobId, 3);
            awaitDeleteSleeping("pos");
            strike.strike();
            job = awaitFinal(jobId, Duration.ofSeconds(240));
        } finally {
            platform.executeOn("pos", TestTriggers.dropAll("pos_transactions"));
        }
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
        assertEquals(seeded, job.jsonPath().getLong("total_items_deleted"), "exactly the rows seeded: " + job.asString());
        assertEquals(seeded, job.jsonPath().getLong("items_expected"), "the previews at the start: " + job.asString());
        assertTrue(posCalls(job) > 10, "pos-service needed more than 10 calls: " + job.asString());
        assertTenantGone(tenant);
        assertNeighboursUnchanged();
        log("big tenant (%d rows, %d pos calls) through %s in %d ms", seeded, posCalls(job), fault, millisSince(started));
    }

    /** Rows of the big tenant in pos (most of them transactions) and the usual rows in the other two services. */
    private static final int BIG_TENANT_POS_ROWS = 200_000;
    /** Each batch DELETE on pos_transactions sleeps this long: the deletion then needs well over 10 one-second calls. */
    private static final double THROTTLE_SECONDS = 0.4;

    private static boolean bigTenantSettings;

    private static void useBigTenantSettings() throws Exception {
        if (bigTenantSettings) {
            return;
        }
        orchestrator.stop();
        orchestrator.environment("DELETION_SERVICES_POS_SERVICE_TIMEOUT", "2s");
        orchestrator.environment("DELETION_RETRY_MAX_ATTEMPTS", "12");
        orchestrator.environment("DELETION_RETRY_INITIAL_BACKOFF", "500ms");
        orchestrator.environment("DELETION_RETRY_MAX_BACKOFF", "3s");
        // far shorter than a big tenant's job: a graceful stop mid-job then always ends by releasing the lease
        orchestrator.environment("DELETION_JOBS_SHUTDOWN_GRACE", "2s");
        // the spy joins the registry with this restart (it holds no rows, so the big tenant's figures stay the same),
        // sparing the replay scenario a restart of its own
        orchestrator.environment("DELETION_SERVICES_SPY_URL", spy.url());
        orchestrator.start();
        platform.awaitReady(orchestrator, Duration.ofSeconds(120));
        bigTenantSettings = true;
        spyRegistered = true;
    }

    private static long seedBigTenant(UUID tenant) throws SQLException {
        platform.seed("pos", List.of(tenant), BIG_TENANT_POS_ROWS);
        platform.seed("external", List.of(tenant), TENANT_ROWS);
        platform.seed("alerts", List.of(tenant), TENANT_ROWS);
        long seeded = TestDb.total(counts(tenant));
        assertTrue(seeded >= BIG_TENANT_POS_ROWS, "seeded " + seeded);
        return seeded;
    }

    private static int posCalls(Response job) {
        return ((Number) service(job, "pos-service").get("calls")).intValue();
    }

    /** Waits until the job has made at least {@code calls} DELETE calls to pos-service (progress is stored after each). */
    private static void awaitPosCalls(String jobId, int calls) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Response job = job(jobId);
            last = job.asString();
            Object made = service(job, "pos-service").get("calls");
            if (made instanceof Number n && n.intValue() >= calls) {
                assertTrue(job.jsonPath().getLong("total_items_deleted") > 0, "progress is visible while the job runs: " + last);
                return;
            }
            Thread.sleep(100);
        }
        fail("pos-service never reached " + calls + " calls: " + last);
    }

    // ------------------------------------------------------------------ jobs over HTTP

    /** With a service token for the orchestrator (aud orchestrator). */
    private static io.restassured.specification.RequestSpecification asService() {
        return as(Platform.token("orchestrator"));
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String postJob(UUID tenant) {
        Response created = asService().contentType("application/json")
                .body("{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Platform test\",\"reason\":\"platform-tests\"}")
                .post(orchestrator.baseUri() + "/api/v1/deletion-jobs");
        assertEquals(202, created.statusCode(), created.asString());
        String jobId = created.jsonPath().getString("job_id");
        assertNotNull(jobId, created.asString());
        return jobId;
    }

    /** POST …/retry: 202 with the job put back to work (so polling cannot see the previous final status). */
    private static void retry(String jobId) {
        Response retried = asService().post(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId + "/retry");
        assertEquals(202, retried.statusCode(), retried.asString());
        assertTrue(Set.of("pending", "running").contains(retried.jsonPath().getString("status")), retried.asString());
    }

    private static Response job(String jobId) {
        Response job = asService().get(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId);
        assertEquals(200, job.statusCode(), job.asString());
        return job;
    }

    /** Polls the job until it reaches a final status (a connection error while the orchestrator restarts is retried). */
    private static Response awaitFinal(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            try {
                Response job = asService().get(orchestrator.baseUri() + "/api/v1/deletion-jobs/" + jobId);
                last = job.asString();
                if (job.statusCode() == 200 && FINAL.contains(job.jsonPath().getString("status"))) {
                    return job;
                }
            } catch (Exception notNow) {
                last = notNow.toString();
            }
            Thread.sleep(100);
        }
        fail("job " + jobId + " not final within " + timeout + "; last answer: " + last + "\norchestrator log:\n" + orchestrator.tail());
        return null;
    }

    private static Map<String, String> serviceStatuses(Response job) {
        Map<String, String> statuses = new LinkedHashMap<>();
        List<Map<String, Object>> services = job.jsonPath().getList("services");
        for (Map<String, Object> service : services) {
            statuses.put((String) service.get("service"), (String) service.get("status"));
        }
        return statuses;
    }

    private static Map<String, Object> service(Response job, String name) {
        List<Map<String, Object>> services = job.jsonPath().getList("services");
        return services.stream().filter(s -> name.equals(s.get("service"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + job.asString()));
    }

    // ------------------------------------------------------------------ databases

    private static void startAlertsPg() throws IOException {
        alertsPg = EmbeddedPostgres.builder()
                .setPort(alertsPgPort)
                .setDataDirectory(alertsPgData.toFile())
                .setCleanDataDirectory(false)
                .start();
    }

    private static Connection connectAlerts() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + alertsPgPort + "/" + ALERTS_DB, properties);
    }

    private static void seedTenant(UUID tenant, int rowsPerService) throws SQLException {
        seedTenants(List.of(tenant), rowsPerService);
    }

    private static void seedTenants(List<UUID> tenants, int rowsPerService) throws SQLException {
        for (String label : Platform.SERVICES) {
            platform.seed(label, tenants, rowsPerService);
        }
    }

    private static Map<String, Long> counts(UUID tenant) throws SQLException {
        return platform.counts(tenant);
    }

    private static Map<String, Long> countsOf(UUID tenant, String label) throws SQLException {
        return platform.counts(tenant, label);
    }

    private static Map<String, String> checksums(UUID tenant) throws SQLException {
        return platform.checksums(tenant);
    }

    private static Map<String, String> checksumsOf(UUID tenant, String label) throws SQLException {
        return platform.checksums(tenant, label);
    }

    private static void assertTenantGone(UUID tenant) throws SQLException {
        Map<String, Long> left = counts(tenant);
        assertEquals(0L, TestDb.total(left), "rows of " + tenant + " left: " + left);
    }

    private static void assertNeighboursUnchanged() throws SQLException {
        for (UUID neighbour : NEIGHBOURS) {
            Map<String, String> now = checksums(neighbour);
            assertEquals(NEIGHBOUR_CHECKSUMS.get(neighbour), now, "neighbour " + neighbour + " changed");
            assertFalse(now.values().stream().anyMatch(v -> v.startsWith("0:")), "neighbour " + neighbour + " lost a table: " + now);
        }
    }

    /** Waits until a DELETE of the service's database is inside the sleeping trigger. */
    private static void awaitDeleteSleeping(String label) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection db = platform.connect(label); Statement statement = db.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where datname = current_database()"
                        + " and wait_event = 'PgSleep' and query ilike '%delete%'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        fail("no DELETE reached the sleeping trigger in " + platform.database(label));
    }

    // ------------------------------------------------------------------ small things

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static long millisSince(long nanos) {
        return Platform.millisSince(nanos);
    }

    private static void log(String format, Object... args) {
        platform.log(format, args);
    }
}
