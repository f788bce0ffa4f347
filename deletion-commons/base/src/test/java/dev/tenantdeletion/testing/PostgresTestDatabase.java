package dev.tenantdeletion.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A throwaway database per application start on the local PostgreSQL, dropped at the end, plus the
 * test key pair and issuer. Its name is published as a system property so test code in any class loader
 * (a @QuarkusIntegrationTest too) reaches the same database through {@link TestDb}.
 */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_PROPERTY = "tenant-deletion-test.database";

    private final PostgresServer server = PostgresServer.fromEnvironment();
    private String database;

    @Override
    public Map<String, String> start() {
        database = "deletion_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute("create database " + database);
        System.setProperty(DATABASE_PROPERTY, database);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", server.reactiveUrl(database));
        config.put("quarkus.datasource.username", server.user());
        if (server.password() != null) {
            config.put("quarkus.datasource.password", server.password());
        }
        config.put("mp.jwt.verify.publickey.location", TestKeys.publicKeyFile().toString());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            execute("drop database if exists " + database + " with (force)");
        }
    }

    private void execute(String sql) {
        try (Connection admin = server.connectAdmin(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server.host() + ":" + server.port()
                    + " refused '" + sql + "' (is it running? see docs/testing.md, DELETION_TEST_PG_URL)", e);
        }
    }
}
