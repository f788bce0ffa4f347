package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Services of the contract, faked by one real HTTP server: {@code /{service}/tenant/{id}} (DELETE) and
 * {@code /{service}/tenant/{id}/deletion-preview} (GET). Every request must carry a bearer token that is
 * RS256-signed with the test key and says {@code type: service}, {@code sub: orchestrator}, the test
 * issuer and a short lifetime; anything else is answered 401 and recorded as a rejection. Behaviour is
 * set per service and tenant, so tests running on one server do not disturb each other.
 */
public final class FakeServices {

    public static final Map<String, List<String>> TABLES = Map.of(
            "pos-service", List.of("pos_transactions", "pos_sessions", "pos_devices", "pos_configurations"),
            "external-service", List.of("external_api_logs", "api_key_usages", "external_data_cache"),
            "alert-processor", List.of("alert_notifications", "alert_history", "alerts", "alert_rules"));

    private static volatile FakeServices current;

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, Map<String, Long>> data = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private volatile JsonObject lastClaims;

    /** One request the fake received. */
    public record Call(String service, String method, UUID tenant, Instant at) {
    }

    /** How a service answers for a tenant. */
    public static final class Behaviour {
        volatile long deleteDelayMs;
        final AtomicInteger serverErrors = new AtomicInteger();
        volatile int clientErrorStatus;
        volatile boolean leaveRows;
        volatile boolean previewFails;

        /** DELETE answers only after this long (a slow or hung service). */
        public Behaviour sleep(long millis) {
            deleteDelayMs = millis;
            return this;
        }

        /** The service is fast again. */
        public Behaviour recover() {
            deleteDelayMs = 0;
            serverErrors.set(0);
            clientErrorStatus = 0;
            leaveRows = false;
            previewFails = false;
            return this;
        }

        /** The next {@code count} DELETEs answer 503. */
        public Behaviour serverErrors(int count) {
            serverErrors.set(count);
            return this;
        }

        /** DELETE answers this 4xx status. */
        public Behaviour clientError(int status) {
            clientErrorStatus = status;
            return this;
        }

        /** DELETE reports success but leaves the rows, so the preview still shows them. */
        public Behaviour leaveRows() {
            leaveRows = true;
            return this;
        }

        /** The preview answers 500. */
        public Behaviour previewFails() {
            previewFails = true;
            return this;
        }
    }

    private FakeServices() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake services could not start", e);
        }
    }

    /** The fake of the running test application (started by {@link OrchestratorTestResource}). */
    public static synchronized FakeServices start() {
        if (current == null) {
            current = new FakeServices();
        }
        return current;
    }

    public static FakeServices current() {
        if (current == null) {
            throw new IllegalStateException("no fake services: annotate the test with @WithTestResource(OrchestratorTestResource.class)");
        }
        return current;
    }

    public static synchronized void stop() {
        if (current != null) {
            current.vertx.close();
            current = null;
        }
    }

    public String url(String service) {
        return "http://127.0.0.1:" + server.actualPort() + "/" + service;
    }

    /** Gives the tenant rows in the service: {@code rows} in its first table, 1 + index in the others. */
    public Map<String, Long> seed(String service, UUID tenant, long rows) {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> tables = TABLES.get(service);
        for (int i = 0; i < tables.size(); i++) {
            counts.put(tables.get(i), i == 0 ? rows : i + 1L);
        }
        data.put(key(service, tenant), new LinkedHashMap<>(counts));
        return counts;
    }

    public Behaviour behaviour(String service, UUID tenant) {
        return behaviours.computeIfAbsent(key(service, tenant), k -> new Behaviour());
    }

    public List<Call> calls(String service, String method, UUID tenant) {
        return calls.stream().filter(c -> c.service().equals(service) && c.method().equals(method) && c.tenant().equals(tenant))
                .toList();
    }

    /** DELETE requests to the service for the tenant still waiting for their answer. */
    public int inFlight(String service, UUID tenant) {
        return inFlight.computeIfAbsent(key(service, tenant), k -> new AtomicInteger()).get();
    }

    public List<String> rejections() {
        return new ArrayList<>(rejections);
    }

    public JsonObject lastClaims() {
        return lastClaims;
    }

    private void handle(HttpServerRequest request) {
        String[] parts = request.path().split("/");
        // "", service, "tenant", id [, "deletion-preview"]
        if (parts.length < 4 || !TABLES.containsKey(parts[1]) || !"tenant".equals(parts[2])) {
            answer(request, 404, new JsonObject().put("error", "not_found").put("message", "no such fake"));
            return;
        }
        String service = parts[1];
        UUID tenant = UUID.fromString(parts[3]);
        boolean preview = parts.length == 5 && "deletion-preview".equals(parts[4]);
        String problem = checkToken(request.getHeader("Authorization"));
        calls.add(new Call(service, request.method().name(), tenant, Instant.now()));
        if (problem != null) {
            rejections.add(service + " " + request.method() + ": " + problem);
            answer(request, 401, new JsonObject().put("error", "unauthorized").put("message", problem));
            return;
        }
        Behaviour behaviour = behaviour(service, tenant);
        if (preview && "GET".equals(request.method().name())) {
            if (behaviour.previewFails) {
                answer(request, 500, new JsonObject().put("error", "preview_failed").put("message", "fake preview failure"));
                return;
            }
            Map<String, Long> counts = counts(service, tenant);
            answer(request, 200, new JsonObject().put("tenant_id", tenant.toString()).put("service", service)
                    .put("data_counts", new JsonObject(new LinkedHashMap<>(counts)))
                    .put("total_items", counts.values().stream().mapToLong(Long::longValue).sum()));
            return;
        }
        if (!preview && "DELETE".equals(request.method().name())) {
            if (behaviour.clientErrorStatus > 0) {
                answer(request, behaviour.clientErrorStatus, new JsonObject().put("error", "foreign_key_conflict")
                        .put("message", "fake client error"));
                return;
            }
            if (behaviour.serverErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer(request, 503, new JsonObject().put("error", "service_unavailable").put("message", "fake 5xx"));
                return;
            }
            AtomicInteger pending = inFlight.computeIfAbsent(key(service, tenant), k -> new AtomicInteger());
            pending.incrementAndGet();
            Runnable delete = () -> {
                pending.decrementAndGet();
                // a client that gave up rolls the deletion back, as a real service's transaction would
                if (request.response().closed()) {
                    return;
                }
                Map<String, Long> deleted = counts(service, tenant);
                if (!behaviour.leaveRows) {
                    Map<String, Long> zero = new LinkedHashMap<>();
                    deleted.keySet().forEach(t -> zero.put(t, 0L));
                    data.put(key(service, tenant), zero);
                }
                long total = deleted.values().stream().mapToLong(Long::longValue).sum();
                answer(request, 200, new JsonObject().put("message", "Tenant data deletion completed in " + service)
                        .put("summary", new JsonObject().put("tenant_id", tenant.toString()).put("service_name", service)
                                .put("deleted_counts", new JsonObject(new LinkedHashMap<>(deleted)))
                                .put("total_deleted", total).put("complete", true).put("errors", List.of())
                                .put("success", true).put("duration_ms", 3)));
            };
            if (behaviour.deleteDelayMs > 0) {
                vertx.setTimer(behaviour.deleteDelayMs, id -> delete.run());
            } else {
                delete.run();
            }
            return;
        }
        answer(request, 405, new JsonObject().put("error", "method_not_allowed").put("message", "fake"));
    }

    private Map<String, Long> counts(String service, UUID tenant) {
        Map<String, Long> stored = data.get(key(service, tenant));
        if (stored != null) {
            return new LinkedHashMap<>(stored);
        }
        Map<String, Long> zero = new LinkedHashMap<>();
        TABLES.get(service).forEach(t -> zero.put(t, 0L));
        return zero;
    }

    /** Null when the token is a valid orchestrator service token, else what is wrong with it. */
    private String checkToken(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "no bearer token";
        }
        String[] jwt = authorization.substring("Bearer ".length()).split("\\.");
        if (jwt.length != 3) {
            return "not a signed JWT";
        }
        try {
            JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8));
            if (!"RS256".equals(header.getString("alg"))) {
                return "alg is " + header.getString("alg");
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(TestKeys.publicKey());
            signature.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return "signature does not verify with the test public key";
            }
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
            long now = Instant.now().getEpochSecond();
            if (!"service".equals(claims.getString("type"))) {
                return "type is " + claims.getValue("type");
            }
            if (!"orchestrator".equals(claims.getString("sub"))) {
                return "sub is " + claims.getValue("sub");
            }
            if (!TestTokens.ISSUER.equals(claims.getString("iss"))) {
                return "iss is " + claims.getValue("iss");
            }
            Long exp = claims.getLong("exp");
            Long iat = claims.getLong("iat");
            if (exp == null || iat == null || exp <= now || exp - iat > 600) {
                return "exp/iat missing, expired or longer than 10 minutes: " + claims;
            }
            lastClaims = claims;
            return null;
        } catch (Exception e) {
            return "unreadable token: " + e;
        }
    }

    private static void answer(HttpServerRequest request, int status, JsonObject body) {
        if (request.response().closed()) {
            return;
        }
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static String key(String service, UUID tenant) {
        return service + "/" + tenant;
    }
}
