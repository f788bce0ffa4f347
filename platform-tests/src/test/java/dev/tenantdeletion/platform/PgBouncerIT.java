package dev.tenantdeletion.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.deletion.engine.TenantLock;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTriggers;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform behind PgBouncer in transaction pooling mode (issue 27; contract third edition: "The processes work
 * through PgBouncer in transaction pooling mode"): the four packaged apps reach their databases only through a PgBouncer
 * the test starts — their migrations included — with the settings docs/operations.md gives (no prepared-statement
 * cache, the client's layer-7-proxy mode, the statement timeouts set on the databases). A job; a budgeted big tenant over
 * several calls; a DELETE finding the tenant's lock held answers 503; a legal hold; a tenant's export. The tests read
 * the databases directly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBouncerIT {

    private static final int ROWS = 300;
    /** Server connections PgBouncer opens at most per database. */
    private static final int BOUNCER_POOL = 3;

    private static Platform platform;
    private static PgBouncer bouncer;
    private static App orchestrator;

    @BeforeAll
    static void start() throws Exception {
        platform = new Platform("pgbouncer", "bouncer", Path.of("target", "pgbouncer").toAbsolutePath());
        bouncer = PgBouncer.start(Platform.SERVER, BOUNCER_POOL);
        for (String label : Platform.APPS) {
            String database = platform.createDatabase(label);
            // what the apps send as connection parameters elsewhere: PgBouncer does not pass them on, the database has them
            Platform.admin("alter database " + database + " set statement_timeout = '60s'");
            Platform.admin("alter database " + database + " set idle_in_transaction_session_timeout = '60s'");
        }
        for (String label : Platform.APPS) {
            Map<String, String> environment = new LinkedHashMap<>(platform.environment(label));
            environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", bouncer.reactiveUrl(platform.database(label)));
            environment.put("QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS", "false");
            environment.put("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY", "true");
            if (label.equals("pos")) {
                // batches of 1,000 rows, each statement slowed by a trigger in scenario 2: a budgeted call ends after a few
                environment.put("DELETION_BATCH_SIZE", "1000");
            }
            if (label.equals("orchestrator")) {
                environment.put("DELETION_SERVICES_POS_SERVICE_TIMEOUT", "2s");
                environment.put("DELETION_JOBS_SWEEP_INTERVAL", "500ms");
            }
            platform.app(label, environment).start();
        }
        for (String label : Platform.APPS) {
            platform.awaitReady(platform.app(label), Duration.ofSeconds(150));
        }
        orchestrator = platform.app("orchestrator");
        // migrations went through PgBouncer as well (the JDBC URL is derived from the reactive one)
        for (String label : Platform.APPS) {
            try (Connection db = platform.connect(label); Statement statement = db.createStatement();
                    ResultSet rs = statement.executeQuery("select count(*) from flyway_schema_history where success")) {
                rs.next();
                assertTrue(rs.getInt(1) > 0, "migrated: " + label);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.stop();
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    @Order(1)
    void aJobDeletesATenantEverywhereThroughPgBouncer() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID neighbour = UUID.randomUUID();
        for (String label : Platform.SERVICES) {
            platform.seed(label, List.of(tenant, neighbour), ROWS);
        }
        Map<String, String> neighbourBefore = platform.checksums(neighbour);

        Response job = Jobs.awaitFinal(orchestrator, Jobs.post(orchestrator, tenant), Duration.ofSeconds(120));

        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
        assertEquals(3L * ROWS, job.jsonPath().getLong("total_items_deleted"), job.asString());
        assertEquals(0L, TestDb.total(platform.counts(tenant)));
        assertEquals(neighbourBefore, platform.checksums(neighbour), "the neighbour is untouched");
        assertServerConnectionsWithinThePool();
    }

    @Test
    @Order(2)
    void aBudgetedBigTenantIsDeletedOverSeveralCallsThroughPgBouncer() throws Exception {
        UUID tenant = UUID.randomUUID();
        platform.seed("pos", List.of(tenant), 20_000);
        platform.seed("external", List.of(tenant), ROWS);
        long seeded = TestDb.total(platform.counts(tenant));
        platform.executeOn("pos", TestTriggers.sleepBeforeDelete("pos_transactions", 0.2));
        Response job;
        try {
            job = Jobs.awaitFinal(orchestrator, Jobs.post(orchestrator, tenant), Duration.ofSeconds(180));
        } finally {
            platform.executeOn("pos", TestTriggers.dropAll("pos_transactions"));
        }
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
        assertEquals(seeded, job.jsonPath().getLong("total_items_deleted"), "exact: " + job.asString());
        long calls = Jobs.number(Jobs.service(job, "pos-service"), "calls");
        assertTrue(calls > 2, "pos-service answered complete=false and was called again: " + job.asString());
        assertEquals(0L, TestDb.total(platform.counts(tenant)));
        platform.log("big tenant through PgBouncer: %d rows, %d pos-service calls", seeded, calls);
        assertServerConnectionsWithinThePool();
    }

    @Test
    @Order(3)
    void aDeleteFindingTheTenantsLockHeldAnswers503ThroughPgBouncer() throws Exception {
        UUID tenant = UUID.randomUUID();
        platform.seed("pos", List.of(tenant), 10);
        // another deletion of the tenant holds its lock (a transaction-scoped advisory lock, as the engine takes it)
        try (Connection holder = platform.connect("pos"); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("select pg_advisory_xact_lock(" + TenantLock.key(tenant) + ")");
            Response refused = io.restassured.RestAssured.given().header("Authorization", "Bearer " + Platform.token("pos"))
                    .delete(platform.serviceUri("pos", "/tenant/" + tenant));
            assertEquals(503, refused.statusCode(), refused.asString());
            assertEquals("deletion_in_progress", refused.jsonPath().getString("error"), refused.asString());
            assertNotNull(refused.getHeader("Retry-After"), "Retry-After: " + refused.headers());
            holder.rollback();
        }
        // the lock went with the transaction (not with a pooled session): the next call gets it
        Response deleted = io.restassured.RestAssured.given().header("Authorization", "Bearer " + Platform.token("pos"))
                .delete(platform.serviceUri("pos", "/tenant/" + tenant));
        assertEquals(200, deleted.statusCode(), deleted.asString());
        assertEquals(0L, TestDb.total(platform.counts(tenant, "pos")));
    }

    @Test
    @Order(4)
    void aLegalHoldBlocksANewJobThroughPgBouncer() throws Exception {
        UUID tenant = UUID.randomUUID();
        platform.seed("pos", List.of(tenant), 10);
        long seeded = TestDb.total(platform.counts(tenant, "pos"));
        String hold = orchestrator.baseUri() + "/api/v1/tenants/" + tenant + "/legal-hold";
        Response placed = Jobs.asAdmin().contentType("application/json").body("{\"reason\":\"litigation\"}").put(hold);
        assertTrue(List.of(200, 201).contains(placed.statusCode()), placed.asString());

        Response refused = Jobs.create(orchestrator, tenant);
        assertEquals(409, refused.statusCode(), refused.asString());
        assertEquals("legal_hold", refused.jsonPath().getString("error"), refused.asString());
        assertEquals(seeded, TestDb.total(platform.counts(tenant, "pos")), "nothing deleted under a hold");

        Response lifted = Jobs.asAdmin().delete(hold);
        assertTrue(List.of(200, 204).contains(lifted.statusCode()), lifted.asString());
        Response job = Jobs.awaitFinal(orchestrator, Jobs.post(orchestrator, tenant), Duration.ofSeconds(60));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());
    }

    /** PgBouncer keeps the server side to its pool, whatever the apps' pools: at most BOUNCER_POOL per database. */
    /**
     * The export behind a transaction pooler: each service's snapshot (REPEATABLE READ READ ONLY) and its cursor live in
     * one transaction, so PgBouncer keeps them on one server connection. The orchestrator's archive, read through
     * ZipInputStream: every service's file complete (its summary and the manifest count every seeded row, the lines
     * hash to the manifest's sha256), and the tenant's rows still there (an export deletes nothing).
     */
    @Test
    @Order(5)
    void anExportThroughPgBouncerIsComplete() throws Exception {
        UUID tenant = UUID.randomUUID();
        for (String label : Platform.SERVICES) {
            platform.seed(label, List.of(tenant), ROWS);
        }
        Map<String, Long> seeded = platform.counts(tenant);
        HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(orchestrator.baseUri() + "/api/v1/tenants/" + tenant + "/export"))
                        .header("Authorization", "Bearer " + Platform.token("orchestrator")).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(answer.body())) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), zip.readAllBytes());
            }
        }
        JsonNode manifest = new ObjectMapper().readTree(files.get("manifest.json"));
        assertEquals(Platform.SERVICES.size(), manifest.path("services").size(), manifest.toString());
        for (JsonNode service : manifest.path("services")) {
            byte[] file = files.get(service.path("file").asText());
            assertNotNull(file, "the archive holds " + service.path("file").asText());
            assertEquals(ROWS, service.path("total_rows").asLong(), service.toString());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
                    service.path("sha256").asText(), service.toString());
            assertEquals(ROWS + 1, new String(file, StandardCharsets.UTF_8).lines().count(), "rows and the summary");
        }
        assertNotNull(files.get("manifest.jws"), "the manifest is signed");
        assertEquals(seeded, platform.counts(tenant), "an export deletes nothing");
        assertServerConnectionsWithinThePool();
    }

    private static void assertServerConnectionsWithinThePool() throws Exception {
        try (Connection admin = Platform.SERVER.connectAdmin(); Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("select datname, count(*) from pg_stat_activity where datname like 'bouncer%'"
                        + " and application_name <> 'PostgreSQL JDBC Driver' group by datname")) {
            while (rs.next()) {
                assertTrue(rs.getInt(2) <= BOUNCER_POOL, rs.getString(1) + " has " + rs.getInt(2) + " server connections");
            }
        }
    }
}
