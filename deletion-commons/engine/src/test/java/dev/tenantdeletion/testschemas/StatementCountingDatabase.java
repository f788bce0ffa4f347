package dev.tenantdeletion.testschemas;

import dev.tenantdeletion.testing.PostgresServer;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PostgresTestDatabase}, with the application's connections going through a proxy that records the SQL of every
 * statement PostgreSQL is asked to execute (extended protocol: the Parse of the statement an Execute runs; simple
 * protocol: the Query), read off the wire. So a test counts what the service really sends, whatever the code that sent
 * it. (pg_stat_statements would say the same, but needs shared_preload_libraries, which a shared test server rarely has.)
 * The SQL goes to a file, one statement a line, named by a system property, so the test reads it whatever class loader
 * runs it.
 */
public class StatementCountingDatabase extends PostgresTestDatabase {

    private static final String LOG_PROPERTY = "tenant-deletion-test.executed-statements";
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final PostgresServer server = PostgresServer.fromEnvironment();
    private ServerSocket proxy;

    /** The SQL of every statement executed through the proxy since the last {@link #forget}, in order (newlines as blanks). */
    public static List<String> executed() {
        try {
            return Files.readAllLines(log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void forget() {
        synchronized (StatementCountingDatabase.class) {
            try {
                Files.writeString(log(), "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path log() {
        return Path.of(System.getProperty(LOG_PROPERTY));
    }

    private static void record(String sql) {
        synchronized (StatementCountingDatabase.class) {
            try {
                Files.writeString(log(), sql.replace('\n', ' ').replace('\r', ' ') + "\n", StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            Path log = Files.createTempFile("executed-statements", ".log");
            log.toFile().deleteOnExit();
            System.setProperty(LOG_PROPERTY, log.toString());
            proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread accept = new Thread(this::acceptLoop, "statement-counting-proxy");
        accept.setDaemon(true);
        accept.start();
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.getLocalPort() + "/"
                + System.getProperty(DATABASE_PROPERTY));
        return config;
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (IOException ignored) {
            // closing a listening socket at the end of the run
        }
        super.stop();
    }

    private void acceptLoop() {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket upstream = new Socket(server.host(), server.port());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                daemon(() -> copy(upstream, client));
                daemon(() -> forwardRecording(client, upstream));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // either side closed
        } finally {
            closeBoth(from, to);
        }
    }

    /** Client to server: message by message, forwarded unchanged, the executed SQL recorded. */
    private static void forwardRecording(Socket client, Socket upstream) {
        try (DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = new BufferedOutputStream(upstream.getOutputStream())) {
            while (true) { // the untyped start-up messages; an encryption request is declined here, not forwarded
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                int code = ByteBuffer.wrap(body).getInt();
                if (code == SSL_REQUEST || code == GSS_REQUEST) {
                    client.getOutputStream().write('N');
                    client.getOutputStream().flush();
                    continue;
                }
                out.write(ByteBuffer.allocate(4).putInt(length).array());
                out.write(body);
                out.flush();
                break;
            }
            Map<String, String> prepared = new HashMap<>();
            String bound = null;
            for (int type = in.read(); type != -1; type = in.read()) {
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                switch (type) {
                    case 'P' -> {
                        List<String> fields = cStrings(body, 2);
                        prepared.put(fields.get(0), fields.get(1));
                    }
                    case 'B' -> bound = prepared.get(cStrings(body, 2).get(1));
                    case 'E' -> record(String.valueOf(bound));
                    case 'Q' -> record(cStrings(body, 1).get(0));
                    default -> {
                    }
                }
                out.write(type);
                out.write(ByteBuffer.allocate(4).putInt(length).array());
                out.write(body);
                if (in.available() == 0) { // what the client sent together goes on together
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            closeBoth(client, upstream);
        }
    }

    private static List<String> cStrings(byte[] body, int count) {
        String[] strings = new String[count];
        int start = 0;
        for (int i = 0; i < count; i++) {
            int end = start;
            while (body[end] != 0) {
                end++;
            }
            strings[i] = new String(body, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
        }
        return List.of(strings);
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "statement-counting-proxy-connection");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
            b.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
