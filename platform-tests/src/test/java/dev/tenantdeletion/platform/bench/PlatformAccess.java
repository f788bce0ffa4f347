package dev.tenantdeletion.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's window onto the package-private {@link App} and {@link Seeds} of platform-tests, so the
 * benchmark (package {@code dev.tenantdeletion.platform.bench}) reuses them instead of copying them. This
 * file lives in the bench folder but declares the package of App and Seeds; making App and Seeds public
 * would make it unnecessary.
 */
public final class PlatformAccess {

    public static final List<String> POS_TABLES = Seeds.POS_TABLES;
    public static final List<String> EXTERNAL_TABLES = Seeds.EXTERNAL_TABLES;
    public static final List<String> ALERT_TABLES = Seeds.ALERT_TABLES;
    /** Environment every app gets next to its own (MALLOC_ARENA_MAX, as in Dockerfile.jvm). */
    public static final Map<String, String> JVM_ENVIRONMENT = App.JVM_ENVIRONMENT;

    /** The flags of the JVM options file, without its comments. */
    public static List<String> jvmFlags() throws IOException {
        return Files.readAllLines(App.JAVA_OPTIONS).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private PlatformAccess() {
    }

    /** A packaged app run as a process (see {@link App}). */
    public static final class Proc {
        private final App app;

        private Proc(App app) {
            this.app = app;
        }

        public String name() {
            return app.name;
        }

        public int port() {
            return app.port;
        }

        public String baseUri() {
            return app.baseUri();
        }

        public void start() throws IOException {
            app.start();
        }

        public void stop() {
            app.stop();
        }

        public void destroyForcibly() {
            app.destroyForcibly();
        }

        public Process process() {
            return app.process();
        }

        public String tail() {
            return app.tail();
        }
    }

    public static Proc app(String name, Path jar, int port, Map<String, String> environment, Path logs) {
        return new Proc(new App(name, jar, port, environment, logs));
    }

    public static void checksums(Connection db, String label, List<String> tables, UUID tenant, Map<String, String> into)
            throws SQLException {
        Seeds.checksums(db, label, tables, tenant, into);
    }

    public static void counts(Connection db, String label, List<String> tables, UUID tenant, Map<String, Long> into)
            throws SQLException {
        Seeds.counts(db, label, tables, tenant, into);
    }
}
