package dev.tenantdeletion.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.alerts.AlertSeeder;
import dev.tenantdeletion.external.ExternalSeeder;
import dev.tenantdeletion.pos.PosSeeder;
import dev.tenantdeletion.testing.TestDb;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thirteen services and the orchestrator on one PostgreSQL with max_connections = 100 (issue 27; contract third edition,
 * "Bounded resources"): the three services' jars started as ten more copies, each copy registered under a name of its own
 * (DELETION_SERVICES_&lt;NAME&gt;_URL, its audience that name) and on a database of its own, all on one dedicated
 * embedded cluster (the shared local server serves other builds at the same time), plus the orchestrator. All become
 * ready; a burst of 50 jobs with 8 preview readers completes, every job exact and verified; the client connections
 * sampled during the burst stay within the budget of docs/operations.md: 13 × 4 + 1 × 6 (the apps' pools; migrations
 * are over) plus the test's own.
 */
class ThirteenServicesIT {

    private static final int SERVICE_POOL = 4;
    private static final int ORCHESTRATOR_POOL = 6;
    private static final int JOBS = 50;
    private static final int READERS = 8;
    private static final int ROWS = 20;
    /**
     * The ten copies: registry name → the jar's label. Names of letters and digits only: an environment variable
     * DELETION_SERVICES_POS_2_URL could as well mean a service "pos.2" as "pos-2", so SmallRye cannot map it back.
     */
    private static final Map<String, String> COPIES = new LinkedHashMap<>();

    static {
        for (int i = 2; i <= 5; i++) {
            COPIES.put("pos" + i, "pos");
        }
        for (int i = 2; i <= 4; i++) {
            COPIES.put("external" + i, "external");
            COPIES.put("alerts" + i, "alerts");
        }
    }

    private static final Map<String, String> BASE_PATHS = Map.of("pos", "/api/v1/pos", "external", "/api/v1/external",
            "alerts", "/api/v1/alerts");

    private static Platform platform;
    private static EmbeddedPostgres cluster;
    private static Path clusterData;
    /** Every service (registry name) → the jar's label, the three originals included. */
    private static final Map<String, String> SERVICES = new LinkedHashMap<>();
    private static App orchestrator;

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        Path work = Path.of("target", "thirteen").toAbsolutePath();
        platform = new Platform("thirteen", "thirteen", work);
        clusterData = work.resolve("pgdata");
        deleteRecursively(clusterData);
        cluster = EmbeddedPostgres.builder().setPort(Platform.freePort()).setDataDirectory(clusterData.toFile())
                .setServerConfig("max_connections", "100").start();
        try (Connection admin = admin(); Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("show max_connections")) {
            rs.next();
            assertEquals("100", rs.getString(1));
        }
        SERVICES.put("pos-service", "pos");
        SERVICES.put("external-service", "external");
        SERVICES.put("alert-processor", "alerts");
        SERVICES.putAll(COPIES);

        for (String label : Platform.APPS) {
            createDatabase(label);
            platform.useDatabase(label, datasource(label), () -> connect(label));
        }
        List<App> apps = new ArrayList<>();
        for (String label : Platform.SERVICES) {
            apps.add(platform.app(label, platform.environment(label)));
        }
        Map<String, String> orch = platform.environment("orchestrator");
        for (Map.Entry<String, String> copy : COPIES.entrySet()) {
            String name = copy.getKey();
            String database = dbName(name);
            createDatabase(name);
            Map<String, String> environment = new LinkedHashMap<>(platform.environment(copy.getValue()));
            environment.putAll(datasource(name));
            environment.put("MP_JWT_VERIFY_AUDIENCES", name);
            App app = platform.replica(copy.getValue(), name, environment);
            apps.add(app);
            orch.put("DELETION_SERVICES_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL",
                    app.baseUri() + BASE_PATHS.get(copy.getValue()));
            platform.log("copy %s on %s", name, database);
        }
        orch.put("DELETION_JOBS_SWEEP_INTERVAL", "500ms");
        orchestrator = platform.app("orchestrator", orch);
        apps.add(orchestrator);
        // started a few at a time: fourteen JVMs starting at once on two shared cores mostly wait for each other
        for (int i = 0; i < apps.size(); i += 4) {
            List<App> batch = apps.subList(i, Math.min(apps.size(), i + 4));
            for (App app : batch) {
                app.start();
            }
            for (App app : batch) {
                platform.awaitReady(app, Duration.ofSeconds(240));
            }
        }
        platform.log("13 services and the orchestrator ready in %d ms; client connections now %d", Platform.millisSince(started),
                clientConnections());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.apps().forEach(App::stop);
        }
        if (cluster != null) {
            cluster.close();
            deleteRecursively(clusterData);
        }
    }

    @Test
    void fiftyJobsWithEightPreviewReadersCompleteExactlyWithinTheConnectionBudget() throws Exception {
        List<UUID> tenants = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            tenants.add(UUID.randomUUID());
        }
        Map<UUID, Long> seeded = new HashMap<>();
        for (Map.Entry<String, String> service : SERVICES.entrySet()) {
            try (Connection db = connect(service.getKey().equals("pos-service") ? "pos"
                    : service.getKey().equals("external-service") ? "external"
                    : service.getKey().equals("alert-processor") ? "alerts" : service.getKey())) {
                for (UUID tenant : tenants) {
                    switch (service.getValue()) {
                        case "pos" -> new PosSeeder().seed(db, tenant, ROWS);
                        case "external" -> new ExternalSeeder().seed(db, tenant, ROWS);
                        default -> new AlertSeeder().seed(db, tenant, ROWS);
                    }
                }
                List<String> tables = TestDb.tenantTables(db);
                for (UUID tenant : tenants) {
                    seeded.merge(tenant, TestDb.total(TestDb.counts(db, tables, tenant)), Long::sum);
                }
            }
        }

        // the budget's migrations term: Flyway's two JDBC connections of the processes started last are closed by Agroal's
        // reaper 10-20 s after their start (the first run's peak of 62 was 13 × 4 + 6 plus those of the last two processes)
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (jdbcConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(0, jdbcConnections(), "Flyway's connections are closed after start-up");
        AtomicBoolean burst = new AtomicBoolean(true);
        AtomicInteger maxConnections = new AtomicInteger();
        Map<String, Integer> atMax = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Integer> maxPerDatabase = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong previews = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        Future<?> sampler = pool.submit(() -> {
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                while (burst.get()) {
                    Map<String, Integer> now = new LinkedHashMap<>();
                    try (ResultSet rs = statement.executeQuery("select coalesce(datname, '-'), count(*) from pg_stat_activity"
                            + " where backend_type = 'client backend' and pid <> pg_backend_pid() group by 1")) {
                        while (rs.next()) {
                            now.put(rs.getString(1), rs.getInt(2));
                        }
                    }
                    int total = now.values().stream().mapToInt(Integer::intValue).sum();
                    now.forEach((db, n) -> maxPerDatabase.merge(db, n, Math::max));
                    if (total > maxConnections.get()) {
                        maxConnections.set(total);
                        atMax.clear();
                        atMax.putAll(now);
                    }
                    Thread.sleep(100);
                }
            }
            return null;
        });
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            readers.add(pool.submit(() -> {
                int i = reader;
                while (burst.get()) {
                    Response preview = Jobs.asService().get(orchestrator.baseUri() + "/api/v1/tenants/" + tenants.get(i % JOBS)
                            + "/deletion-preview");
                    assertEquals(200, preview.statusCode(), preview.asString());
                    previews.incrementAndGet();
                    i += READERS;
                    Thread.sleep(250); // a reader's think time: eight readers, not eight tight loops on two cores
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        List<String> jobs = new ArrayList<>();
        try {
            for (UUID tenant : tenants) {
                jobs.add(Jobs.post(orchestrator, tenant));
            }
            for (int i = 0; i < JOBS; i++) {
                Response job = Jobs.awaitFinal(orchestrator, jobs.get(i), Duration.ofSeconds(600));
                assertEquals("completed", job.jsonPath().getString("status"), job.asString());
                assertTrue(job.jsonPath().getBoolean("verified"), job.asString());
                assertEquals(13, job.jsonPath().getInt("services_total"), job.asString());
                assertEquals(seeded.get(tenants.get(i)), job.jsonPath().getLong("total_items_deleted"), "exact: " + job.asString());
            }
        } finally {
            burst.set(false);
            sampler.get();
            for (Future<?> reader : readers) {
                reader.get();
            }
            pool.shutdown();
        }
        long ms = Platform.millisSince(started);
        for (String service : SERVICES.keySet()) {
            String label = service.equals("pos-service") ? "pos" : service.equals("external-service") ? "external"
                    : service.equals("alert-processor") ? "alerts" : service;
            try (Connection db = connect(label)) {
                List<String> tables = TestDb.tenantTables(db);
                for (UUID tenant : tenants) {
                    assertEquals(0L, TestDb.total(TestDb.counts(db, tables, tenant)), service + " " + tenant);
                }
            }
        }
        int budget = 13 * SERVICE_POOL + ORCHESTRATOR_POOL; // the sampler's own connection is not counted
        platform.log("50 jobs over 13 services in %d ms with %d previews read meanwhile; client connections at most %d (budget %d): %s;"
                + " per database at most %s", ms, previews.get(), maxConnections.get(), budget, atMax, maxPerDatabase);
        maxPerDatabase.forEach((database, n) -> assertTrue(n <= (database.equals("orchestrator") ? ORCHESTRATOR_POOL : SERVICE_POOL),
                "each process within its pool: " + maxPerDatabase));
        assertTrue(maxConnections.get() <= budget, "client connections " + maxConnections.get() + " > " + budget + ": " + atMax);
    }

    // ------------------------------------------------------------------ the cluster

    private static String dbName(String label) {
        return label.replace('-', '_');
    }

    private static void createDatabase(String label) throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("create database " + dbName(label));
        }
    }

    private static Map<String, String> datasource(String label) {
        return Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + cluster.getPort() + "/" + dbName(label),
                "QUARKUS_DATASOURCE_USERNAME", "postgres");
    }

    private static Connection admin() throws SQLException {
        return cluster.getPostgresDatabase().getConnection();
    }

    private static Connection connect(String label) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.getPort() + "/" + dbName(label), properties);
    }

    private static int clientConnections() throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where backend_type = 'client backend'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Connections of the apps' JDBC pools (Flyway's): application_name is pgjdbc's default, the reactive client's differs. */
    private static int jdbcConnections() throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where backend_type = 'client backend'"
                        + " and application_name = 'PostgreSQL JDBC Driver' and pid <> pg_backend_pid() and datname <> 'postgres'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
