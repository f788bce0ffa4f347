package dev.tenantdeletion.platform;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.testing.PostgresServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PgBouncer (1.18, /usr/sbin/pgbouncer) in front of the local PostgreSQL, in transaction pooling mode, as an
 * operator would put it before the platform (docs/operations.md, "PgBouncer"): every database of the server by its own
 * name, trust authentication for the server's user. PgBouncer refuses to run as root, so as root it runs as
 * {@code postgres} (runuser), from a directory of its own under /tmp.
 */
final class PgBouncer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    final int port;
    private final Path dir;
    private final Process process;

    private PgBouncer(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** Starts PgBouncer on a free port, {@code poolSize} server connections at most per database. */
    static PgBouncer start(PostgresServer server, int poolSize) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: apt-get install pgbouncer (.ci/run installs it)");
        }
        int port = Platform.freePort();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pgbouncer-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String password = server.password() == null ? "" : server.password();
        Files.writeString(dir.resolve("users.txt"), "\"" + server.user() + "\" \"" + password + "\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), """
                [databases]
                * = host=%s port=%d%s
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = trust
                auth_file = %s
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 2000
                ; the reactive client's startup parameters PgBouncer does not track: not forwarded (the timeouts are set on
                ; the databases instead, docs/operations.md)
                ignore_startup_parameters = extra_float_digits,statement_timeout,idle_in_transaction_session_timeout
                logfile = %s
                """.formatted(server.host(), server.port(), password.isEmpty() ? "" : " password=" + password, port,
                dir.resolve("users.txt"), poolSize, dir.resolve("pgbouncer.log")));
        for (String file : List.of("users.txt", "pgbouncer.ini")) {
            Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(BINARY.toString(), dir.resolve("pgbouncer.ini").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        PgBouncer bouncer = new PgBouncer(port, dir, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("pgbouncer exited with " + process.exitValue() + ": " + bouncer.log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return bouncer;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        bouncer.close();
        fail("pgbouncer did not listen on " + port + ": " + bouncer.log());
        return null;
    }

    /** The reactive URL of a database through PgBouncer. */
    String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("stdout.log")) + Files.readString(dir.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
