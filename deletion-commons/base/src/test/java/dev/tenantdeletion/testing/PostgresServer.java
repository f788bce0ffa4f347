package dev.tenantdeletion.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The local PostgreSQL server the tests run on, from DELETION_TEST_PG_URL
 * (default postgresql://postgres@127.0.0.1:5432/postgres): where throwaway databases are created.
 */
public record PostgresServer(String host, int port, String adminDatabase, String user, String password) {

    public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

    public static PostgresServer fromEnvironment() {
        String url = System.getenv().getOrDefault("DELETION_TEST_PG_URL", DEFAULT_URL);
        URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
        String user = "postgres";
        String password = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : null;
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new PostgresServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password);
    }

    /** The reactive URL form the services are configured with. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:" + reactiveUrl(database);
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    public Connection connectAdmin() throws SQLException {
        return connect(adminDatabase);
    }
}
