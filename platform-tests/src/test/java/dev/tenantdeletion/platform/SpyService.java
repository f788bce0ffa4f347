package dev.tenantdeletion.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service of the contract that holds no data and records the Authorization header of every request: what the
 * orchestrator hands a downstream service, to be replayed elsewhere. It answers enough of the contract for a job to
 * complete: the preview (zero rows), DELETE (a complete, successful summary) and the deletion-check (no tenant).
 */
final class SpyService implements AutoCloseable {

    static final String NAME = "spy";
    static final String BASE_PATH = "/api/v1/spy";
    private static final String TABLE = "spy_rows";
    private static final Pattern PREVIEW = Pattern.compile(BASE_PATH + "/tenant/([0-9a-fA-F-]{36})/deletion-preview");
    private static final Pattern DELETE = Pattern.compile(BASE_PATH + "/tenant/([0-9a-fA-F-]{36})");
    private static final String CHECK = BASE_PATH + "/tenants/deletion-check";

    /** One request the spy received: method, path and its Authorization header (null when there was none). */
    record Seen(String method, String path, String authorization) {
    }

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    SpyService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(BASE_PATH, this::handle);
        server.start();
    }

    /** The base URL to register: DELETION_SERVICES_SPY_URL. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        seen.add(new Seen(method, path, exchange.getRequestHeaders().getFirst("Authorization")));
        exchange.getRequestBody().readAllBytes();
        Matcher preview = PREVIEW.matcher(path);
        Matcher delete = DELETE.matcher(path);
        if ("GET".equals(method) && preview.matches()) {
            answer(exchange, 200, "{\"tenant_id\":\"" + preview.group(1) + "\",\"service_name\":\"" + NAME + "\",\"data_counts\":{\""
                    + TABLE + "\":0},\"total_items\":0,\"retained\":{}}");
        } else if ("DELETE".equals(method) && delete.matches()) {
            answer(exchange, 200, "{\"message\":\"nothing to delete\",\"summary\":{\"tenant_id\":\"" + delete.group(1)
                    + "\",\"service_name\":\"" + NAME + "\",\"deleted_counts\":{\"" + TABLE + "\":0},\"total_deleted\":0,"
                    + "\"complete\":true,\"errors\":[],\"success\":true,\"duration_ms\":0}}");
        } else if ("POST".equals(method) && CHECK.equals(path)) {
            answer(exchange, 200, "{\"service\":\"" + NAME + "\",\"tenants\":{}}");
        } else {
            answer(exchange, 404, "{\"error\":\"not_found\",\"message\":\"the spy has no " + method + " " + path + "\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
