package dev.tenantdeletion.platform;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.alerts.AlertSeeder;
import dev.tenantdeletion.external.ExternalSeeder;
import dev.tenantdeletion.pos.PosSeeder;
import dev.tenantdeletion.testing.ListenPorts;
import dev.tenantdeletion.testing.PostgresServer;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The platform as {@code PlatformIT} and {@code PlatformBenchmark} run it: the four packaged apps as processes
 * ({@link App}) on free ports, each on its own throwaway database, the tests' JDBC view of those databases (tables
 * read from the catalog, FK-consistent seeding with the services' own seeders, counts and checksums per table),
 * and the small things both need. Apps and databases are named by label: {@code pos}, {@code external},
 * {@code alerts}, {@code orchestrator}.
 */
public final class Platform {

    public static final PostgresServer SERVER = PostgresServer.fromEnvironment();
    /** The three services, by label. */
    public static final List<String> SERVICES = List.of("pos", "external", "alerts");
    /** The four apps, by label, in the order they are started. */
    public static final List<String> APPS = List.of("pos", "external", "alerts", "orchestrator");

    private static final Map<String, String> NAMES = Map.of("pos", "pos-service", "external", "external-service",
            "alerts", "alert-processor", "orchestrator", "orchestrator");
    private static final Map<String, String> BASE_PATHS = Map.of("pos", "/api/v1/pos", "external", "/api/v1/external",
            "alerts", "/api/v1/alerts");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** How the tests open a JDBC connection to an app's database. */
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final String tag;
    private final String prefix;
    private final Path work;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Connector> connectors = new LinkedHashMap<>();
    private final Map<String, String> databases = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> datasources = new LinkedHashMap<>();
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final List<String> createdDatabases = new ArrayList<>();
    private final List<String> createdRoles = new ArrayList<>();

    /**
     * {@code tag}: the prefix of log lines ("[tag] …"); {@code prefix}: of the databases' names; {@code work}: where the
     * apps' logs go.
     */
    public Platform(String tag, String prefix, Path work) throws IOException {
        this.tag = tag;
        this.prefix = prefix;
        this.work = work;
        Files.createDirectories(work);
        for (String label : APPS) {
            ports.put(label, freePort());
        }
        // should the test JVM itself be stopped (failsafe timeout, Ctrl-C), no app outlives it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> apps.values().forEach(App::destroyForcibly), tag + "-cleanup"));
    }

    public Path work() {
        return work;
    }

    // ------------------------------------------------------------------ databases

    /** A throwaway database on the local server ({@code <prefix>_<label>_<suffix>}), the app connecting as the server's user. */
    public String createDatabase(String label) throws SQLException {
        String database = prefix + "_" + label + "_" + suffix;
        admin("create database " + database);
        createdDatabases.add(database);
        Map<String, String> datasource = new LinkedHashMap<>();
        datasource.put("QUARKUS_DATASOURCE_REACTIVE_URL", SERVER.reactiveUrl(database));
        datasource.put("QUARKUS_DATASOURCE_USERNAME", SERVER.user());
        if (SERVER.password() != null) {
            datasource.put("QUARKUS_DATASOURCE_PASSWORD", SERVER.password());
        }
        useDatabase(label, datasource, () -> SERVER.connect(database));
        databases.put(label, database);
        return database;
    }

    /**
     * A throwaway database on the local server owned by a login role of its own ({@code <prefix>_<label>_<suffix>},
     * not a superuser), which the app connects as, as in production; the role is granted
     * {@code SET ON PARAMETER session_replication_role} (PostgreSQL 15+), so the engine's fast foreign-key checks are
     * open to it. The tests still connect as the server's user.
     */
    public String createDatabaseWithItsOwnRole(String label) throws SQLException {
        String name = prefix + "_" + label + "_" + suffix;
        String password = UUID.randomUUID().toString();
        admin("create role " + name + " login nosuperuser password '" + password + "'");
        createdRoles.add(name);
        admin("create database " + name + " owner " + name);
        createdDatabases.add(name);
        admin("grant set on parameter session_replication_role to " + name);
        useDatabase(label, Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", SERVER.reactiveUrl(name), "QUARKUS_DATASOURCE_USERNAME", name,
                "QUARKUS_DATASOURCE_PASSWORD", password), () -> SERVER.connect(name));
        databases.put(label, name);
        return name;
    }

    /** A database elsewhere: the app's datasource settings and how the tests connect to it. */
    void useDatabase(String label, Map<String, String> datasource, Connector connector) {
        datasources.put(label, Map.copyOf(datasource));
        connectors.put(label, connector);
    }

    /** The name of a database made by {@link #createDatabase} on the local server. */
    public String database(String label) {
        return databases.get(label);
    }

    public Connection connect(String label) throws SQLException {
        return connectors.get(label).connect();
    }

    void executeOn(String label, String sql) throws SQLException {
        try (Connection db = connect(label); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    public static void admin(String sql) throws SQLException {
        try (Connection admin = SERVER.connectAdmin(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /** FK-consistent rows of each tenant in every table of the service, about {@code rows} in all (its own test seeder). */
    public void seed(String label, List<UUID> tenants, int rows) throws SQLException {
        try (Connection db = connect(label)) {
            for (UUID tenant : tenants) {
                switch (label) {
                    case "pos" -> new PosSeeder().seed(db, tenant, rows);
                    case "external" -> new ExternalSeeder().seed(db, tenant, rows);
                    case "alerts" -> new AlertSeeder().seed(db, tenant, rows);
                    default -> throw new IllegalArgumentException(label);
                }
            }
        }
    }

    /** Rows of the tenant per table of every service, as "label/table". */
    public Map<String, Long> counts(UUID tenant) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String label : SERVICES) {
            counts.putAll(counts(tenant, label));
        }
        return counts;
    }

    /** Rows of the tenant per table of one service, as "label/table". */
    Map<String, Long> counts(UUID tenant, String label) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection db = connect(label)) {
            TestDb.counts(db, TestDb.tenantTables(db), tenant).forEach((table, rows) -> counts.put(label + "/" + table, rows));
        }
        return counts;
    }

    /** Per table of every service, "count:sum(hashtext(row))" of the tenant's rows, as "label/table". */
    public Map<String, String> checksums(UUID tenant) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String label : SERVICES) {
            sums.putAll(checksums(tenant, label));
        }
        return sums;
    }

    /** Per table of one service, "count:sum(hashtext(row))" of the tenant's rows, as "label/table". */
    Map<String, String> checksums(UUID tenant, String label) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        try (Connection db = connect(label)) {
            TestDb.checksums(db, TestDb.tenantTables(db), tenant).forEach((table, sum) -> sums.put(label + "/" + table, sum));
        }
        return sums;
    }

    // ------------------------------------------------------------------ apps

    /**
     * What the app of {@code label} gets by default: the test key and issuer, its datasource, and for the orchestrator
     * its signing key and the three services' URLs.
     */
    public Map<String, String> environment(String label) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyFile().toString());
        environment.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        environment.putAll(datasources.get(label));
        if (label.equals("orchestrator")) {
            environment.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", TestKeys.privateKeyFile().toString());
            for (String service : SERVICES) {
                environment.put("DELETION_SERVICES_" + envName(service) + "_URL",
                        "http://127.0.0.1:" + ports.get(service) + BASE_PATHS.get(service));
            }
        }
        return environment;
    }

    /** The app of {@code label} with this environment, not started; an earlier app of the label is stopped first. */
    public App app(String label, Map<String, String> environment) {
        App old = apps.get(label);
        if (old != null) {
            old.stop();
        }
        App app = new App(name(label), jar(label), ports.get(label), environment, work);
        apps.put(label, app);
        return app;
    }

    public App app(String label) {
        return apps.get(label);
    }

    /** Another process of the app of {@code label} (a second replica), on a port of its own; not started, stopped with the rest. */
    App replica(String label, String name, Map<String, String> environment) throws IOException {
        App app = new App(name, jar(label), freePort(), environment, work);
        apps.put(name, app);
        return app;
    }

    Collection<App> apps() {
        return apps.values();
    }

    /** Starts (or restarts) the app of {@code label} and waits until it is ready; returns process start → ready 200 in ms. */
    public double start(String label, Map<String, String> environment) throws Exception {
        App app = app(label, environment);
        long started = System.nanoTime();
        app.start();
        awaitReadiness(app, 200, Duration.ofSeconds(180), 10);
        double ms = (System.nanoTime() - started) / 1e6;
        log("%s ready in %.0f ms (pid %d)", app.name, ms, app.process().pid());
        return ms;
    }

    void awaitReady(App app, Duration timeout) throws Exception {
        awaitReadiness(app, 200, timeout, 200);
    }

    /** Polls /q/health/ready every {@code pollMillis} until it answers {@code status}; fails at once if the process exits. */
    static void awaitReadiness(App app, int status, Duration timeout, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create(app.baseUri() + "/q/health/ready");
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!app.process().isAlive()) {
                fail(app.name + " exited with " + app.process().exitValue() + ":\n" + app.tail());
            }
            try {
                last = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException notYet) {
                // connection refused while starting
            }
            Thread.sleep(pollMillis);
        }
        fail(app.name + " readiness was not " + status + " within " + timeout + " (last " + last + "); log " + app.log() + ":\n"
                + app.tail());
    }

    public String baseUri(String label) {
        return app(label).baseUri();
    }

    /** A URI of a service's API: its base path, then {@code path}. */
    public String serviceUri(String label, String path) {
        return app(label).baseUri() + BASE_PATHS.get(label) + path;
    }

    /** Stops every app and drops every database and role made here. */
    public void stop() {
        apps.values().forEach(App::stop);
        for (String database : createdDatabases) {
            try {
                admin("drop database if exists " + database + " with (force)");
            } catch (SQLException e) {
                log("could not drop %s: %s", database, e);
            }
        }
        for (String role : createdRoles) {
            try {
                admin("revoke set on parameter session_replication_role from " + role);
                admin("drop role if exists " + role);
            } catch (SQLException e) {
                log("could not drop role %s: %s", role, e);
            }
        }
    }

    // ------------------------------------------------------------------ small things

    /** A service token for the app of this label: its service name is the audience (aud) it accepts. */
    public static String token(String label) {
        return TestTokens.serviceFor(name(label));
    }

    public static String name(String label) {
        return NAMES.get(label);
    }

    /** The service's name in environment variables: pos-service → POS_SERVICE. */
    public static String envName(String label) {
        return name(label).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Path jar(String label) {
        String property = name(label) + ".jar";
        String location = System.getProperty(property);
        if (location == null || !Files.isRegularFile(Path.of(location))) {
            fail("packaged jar not found at " + location + " (" + property + "); package the apps first: mvn -B package -DskipTests");
        }
        return Path.of(location).toAbsolutePath().normalize();
    }

    static int freePort() throws IOException {
        return ListenPorts.free();
    }

    public static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    public void log(String format, Object... args) {
        System.out.println("[" + tag + "] " + String.format(Locale.ROOT, format, args));
    }
}
