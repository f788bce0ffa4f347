package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;

/**
 * What an orchestrator test runs against: a throwaway PostgreSQL database (the job store), the fake
 * services registered as pos-service, external-service and alert-processor, the test key pair (the
 * orchestrator signs with the private key, the fakes verify with the public one) and short timeouts.
 * Init args: {@code unreachable=<service>} registers that service at a port nobody listens on;
 * {@code horizon=<duration>} sets deletion.retry.horizon (PT0S otherwise); {@code max-calls=<n>} deletion.jobs.max-calls;
 * {@code audience=<service>:<audience>} gives that service another audience (deletion.services.&lt;name&gt;.audience),
 * which its fake then requires;
 * {@code before-start=<class>} runs a {@code Consumer<String>} (given the database name) after the job
 * store's schema is migrated and before the application starts.
 */
public class OrchestratorTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TIMEOUT = "1s";
    public static final int MAX_ATTEMPTS = 3;
    public static final long INITIAL_BACKOFF_MS = 50;
    public static final long MAX_BACKOFF_MS = 200;

    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(database.start());
        FakeServices fake = FakeServices.start();
        for (String service : FakeServices.TABLES.keySet()) {
            String url = service.equals(args.get("unreachable")) ? "http://127.0.0.1:" + closedPort() + "/api/v1/gone" : fake.url(service);
            config.put("deletion.services." + service + ".url", url);
            config.put("deletion.services." + service + ".timeout", TIMEOUT);
        }
        FakeServices.TABLES.keySet().forEach(service -> fake.expectAudience(service, null));
        if (args.containsKey("audience")) {
            String[] serviceAndAudience = args.get("audience").split(":", 2);
            config.put("deletion.services." + serviceAndAudience[0] + ".audience", serviceAndAudience[1]);
            fake.expectAudience(serviceAndAudience[0], serviceAndAudience[1]);
        }
        config.put("deletion.retry.max-attempts", String.valueOf(MAX_ATTEMPTS));
        config.put("deletion.retry.initial-backoff", INITIAL_BACKOFF_MS + "ms");
        config.put("deletion.retry.max-backoff", MAX_BACKOFF_MS + "ms");
        // the retry horizon (PT10M by default) is off unless a test asks for one: failures fail after MAX_ATTEMPTS
        config.put("deletion.retry.horizon", args.getOrDefault("horizon", "PT0S"));
        if (args.containsKey("max-calls")) {
            config.put("deletion.jobs.max-calls", args.get("max-calls"));
        }
        config.put("deletion.jobs.lease", "5s");
        config.put("deletion.jobs.sweep-interval", "500ms");
        config.put("smallrye.jwt.sign.key.location", TestKeys.privateKeyFile().toString());
        if (args.containsKey("before-start")) {
            migrate(config);
            runBeforeStart(args.get("before-start"));
        }
        return config;
    }

    @Override
    public void stop() {
        FakeServices.stop();
        database.stop();
    }

    private static void migrate(Map<String, String> config) {
        var server = TestDb.server();
        Flyway.configure()
                .dataSource(server.jdbcUrl(TestDb.database()), server.user(), server.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @SuppressWarnings("unchecked")
    private static void runBeforeStart(String className) {
        try {
            Class<?> type = Class.forName(className, true, OrchestratorTestResource.class.getClassLoader());
            ((Consumer<String>) type.getDeclaredConstructor().newInstance()).accept(TestDb.database());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + className, e);
        }
    }

    /** A port that was free a moment ago: connecting to it is refused. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
