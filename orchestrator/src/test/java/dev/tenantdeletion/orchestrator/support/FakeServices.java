package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Services of the contract, faked by one real HTTP server: {@code /{service}/tenant/{id}} (DELETE) and
 * {@code /{service}/tenant/{id}/deletion-preview} (GET) and {@code /{service}/tenants/deletion-check} (POST). Every request must carry a bearer token that is
 * RS256-signed with the test key and says {@code type: service}, {@code sub: orchestrator}, the test
 * issuer, a short lifetime, no scope and the service's audience as {@code aud} (its name unless
 * {@link #expectAudience} says otherwise); anything else is answered 401 and recorded as a rejection. Behaviour is
 * set per service and tenant, so tests running on one server do not disturb each other.
 */
public final class FakeServices {

    /**
     * The faked services and their tables in the contract's deletion order (children first): the one list every
     * orchestrator test fakes a service with; OrchestratorPosIT checks pos-service's against the real service's catalog.
     */
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
    /** The W3C traceparent header of every request, by service and method ("pos-service DELETE"). */
    private final Map<String, List<String>> traceparents = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Receipt> receipts = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> activeByTenant = new ConcurrentHashMap<>();
    private final Set<UUID> watched = ConcurrentHashMap.newKeySet();
    private final Set<UUID> activeWatched = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxActiveWatched = new AtomicInteger();
    private volatile JsonObject lastClaims;
    private final Map<String, JsonObject> lastClaimsByService = new ConcurrentHashMap<>();
    /** The aud each fake service requires, where it is not the service's name (deletion.services.<name>.audience). */
    private final Map<String, String> audiences = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, List<UUID>>> deletionChecks = new CopyOnWriteArrayList<>();
    private final Set<String> failingChecks = ConcurrentHashMap.newKeySet();

    /** One request the fake received; {@code idempotencyKey} and {@code maxDurationMs} null when not sent. */
    public record Call(String service, String method, UUID tenant, Instant at, String idempotencyKey, String maxDurationMs) {
    }

    /** How long a "lost" answer is held back: well past the orchestrator's 1 s timeout in the tests. */
    public static final long LOST_ANSWER_DELAY_MS = 2_500;

    /** A receipt per Idempotency-Key, as the second-edition engine keeps it: the totals of every call under the key. */
    private record Receipt(String service, UUID tenant, Map<String, Long> totals) {
    }

    /** How a service answers for a tenant. */
    public static final class Behaviour {
        volatile long deleteDelayMs;
        final AtomicInteger serverErrors = new AtomicInteger();
        volatile int clientErrorStatus;
        volatile boolean leaveRows;
        volatile boolean previewFails;
        volatile long rowsPerCall;
        final AtomicInteger lostAnswers = new AtomicInteger();
        volatile long conflictAfterRows = -1;
        final AtomicInteger failuresWithSummary = new AtomicInteger();
        volatile long rowsBeforeFailure;
        volatile String previewOmits;
        volatile long previewDelayMs;
        final AtomicInteger previewFailures = new AtomicInteger();
        final AtomicInteger inProgress = new AtomicInteger();
        volatile int retryAfterSeconds;
        volatile Map<String, Object> retained = Map.of();
        volatile String errorContentType;
        volatile String errorBody;
        volatile long exportBreaksAfterLines = -1;

        /** DELETE answers only after this long (a slow or hung service); a caller that gave up rolls the work back. */
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
            rowsPerCall = 0;
            lostAnswers.set(0);
            conflictAfterRows = -1;
            failuresWithSummary.set(0);
            previewOmits = null;
            previewDelayMs = 0;
            return this;
        }

        /** The next {@code count} DELETEs answer 503. */
        public Behaviour serverErrors(int count) {
            serverErrors.set(count);
            return this;
        }

        /** DELETE answers this 4xx status (without a summary). */
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

        /** The next {@code count} DELETEs find the tenant's lock held: 503 deletion_in_progress with Retry-After. */
        public Behaviour inProgress(int count, int retryAfter) {
            inProgress.set(count);
            retryAfterSeconds = retryAfter;
            return this;
        }

        /** The next {@code count} previews answer 500, the later ones normally. */
        public Behaviour previewFailures(int count) {
            previewFailures.set(count);
            return this;
        }

        /** The preview answers only after this long. */
        public Behaviour previewSleep(long millis) {
            previewDelayMs = millis;
            return this;
        }

        /**
         * A call with {@code max_duration_ms} deletes at most {@code rows} rows (children first), as a budgeted
         * call that ran out of time, and answers {@code complete: false} while rows remain.
         */
        public Behaviour rowsPerCall(long rows) {
            rowsPerCall = rows;
            return this;
        }

        /**
         * The next {@code count} DELETEs do their work and record it in the key's receipt, then hold the answer
         * back for {@link #LOST_ANSWER_DELAY_MS}: the orchestrator times out and never sees it.
         */
        public Behaviour loseAnswers(int count) {
            lostAnswers.set(count);
            return this;
        }

        /** Every DELETE commits {@code rows} rows in batches, then finds a cross-tenant reference: 409 with a summary. */
        public Behaviour conflictAfter(long rows) {
            conflictAfterRows = rows;
            return this;
        }

        /** The next {@code count} DELETEs commit {@code rows} rows, then fail: 500 deletion_failed with a summary. */
        public Behaviour failWithSummary(int count, long rows) {
            failuresWithSummary.set(count);
            rowsBeforeFailure = rows;
            return this;
        }

        /** The preview's {@code retained}: what the service keeps on purpose, per table ({@code <table>: <rule>}). */
        public Behaviour retained(Map<String, Object> rules) {
            retained = Map.copyOf(rules);
            return this;
        }

        /** Every DELETE answers 500 with this body, as it is (a service, or a proxy before it, that leaks its internals). */
        public Behaviour serverErrorBody(String contentType, String body) {
            errorContentType = contentType;
            errorBody = body;
            return this;
        }

        /** The export sends this many lines, then the connection breaks (a service killed mid-export). */
        public Behaviour exportBreaksAfter(long lines) {
            exportBreaksAfterLines = lines;
            return this;
        }

        /** The preview leaves this table out (a service whose preview does not cover what it deletes). */
        public Behaviour previewOmits(String table) {
            previewOmits = table;
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

    /** The traceparent headers the service received with this method ("null" where there was none). */
    public List<String> traceparents(String service, String method) {
        return List.copyOf(traceparents.getOrDefault(service + " " + method, List.of()));
    }

    public List<Call> calls(String service, String method, UUID tenant) {
        return calls.stream().filter(c -> c.service().equals(service) && c.method().equals(method) && c.tenant().equals(tenant))
                .toList();
    }

    /** DELETE requests to the service for the tenant still waiting for their answer. */
    public int inFlight(String service, UUID tenant) {
        return inFlight.computeIfAbsent(key(service, tenant), k -> new AtomicInteger()).get();
    }

    /** Counts from now on how many of these tenants have a DELETE in flight at the same time (see {@link #maxConcurrentTenants()}). */
    public void watchConcurrency(Collection<UUID> tenants) {
        watched.clear();
        activeWatched.clear();
        maxActiveWatched.set(0);
        watched.addAll(tenants);
    }

    /** The most watched tenants that had a DELETE in flight at one moment. */
    public int maxConcurrentTenants() {
        return maxActiveWatched.get();
    }

    /** What the service has deleted under this key so far (its receipt); empty when it has none. */
    public Map<String, Long> receipt(String key) {
        Receipt receipt = receipts.get(key);
        return receipt == null ? Map.of() : new LinkedHashMap<>(receipt.totals());
    }

    /**
     * As if an earlier DELETE under {@code key} had deleted up to {@code rows} rows and its answer was lost
     * (a crash of the caller): the rows are gone and the receipt holds them.
     */
    public void deletedBefore(String service, UUID tenant, String key, long rows) {
        Receipt receipt = receipts.computeIfAbsent(key, k -> new Receipt(service, tenant, zero(service)));
        deleteUpTo(service, tenant, rows, receipt.totals());
    }

    public List<String> rejections() {
        return new ArrayList<>(rejections);
    }

    public JsonObject lastClaims() {
        return lastClaims;
    }

    /** The claims of the last token this service accepted; null when it accepted none. */
    public JsonObject lastClaims(String service) {
        return lastClaimsByService.get(service);
    }

    /** From now on the service accepts only tokens whose aud is {@code audience} (null: its name again). */
    public void expectAudience(String service, String audience) {
        if (audience == null) {
            audiences.remove(service);
        } else {
            audiences.put(service, audience);
        }
    }

    /** Every deletion check a service received: the tenant ids asked about, in order. */
    public List<UUID> deletionChecks(String service) {
        List<UUID> asked = new ArrayList<>();
        deletionChecks.stream().filter(c -> c.getKey().equals(service)).forEach(c -> asked.addAll(c.getValue()));
        return asked;
    }

    /** How many deletion-check requests the service received. */
    public long deletionCheckRequests(String service) {
        return deletionChecks.stream().filter(c -> c.getKey().equals(service)).count();
    }

    /** The service's deletion check answers 503 ({@code true}) or normally again. */
    public void deletionCheckFails(String service, boolean fails) {
        if (fails) {
            failingChecks.add(service);
        } else {
            failingChecks.remove(service);
        }
    }

    /** POST {base}/tenants/deletion-check as the engine answers it: the tenants asked about that hold rows, per table. */
    private void deletionCheck(HttpServerRequest request, String service) {
        String problem = checkToken(service, request.getHeader("Authorization"));
        if (problem != null) {
            rejections.add(service + " deletion-check: " + problem);
            answer(request, 401, new JsonObject().put("error", "unauthorized").put("message", problem));
            return;
        }
        request.body().onSuccess(buffer -> {
            List<UUID> ids = buffer.toJsonObject().getJsonArray("tenant_ids").stream().map(id -> UUID.fromString((String) id)).toList();
            deletionChecks.add(Map.entry(service, ids));
            if (failingChecks.contains(service)) {
                answer(request, 503, new JsonObject().put("error", "service_unavailable").put("message", "fake check failure"));
                return;
            }
            JsonObject tenants = new JsonObject();
            for (UUID tenant : ids) {
                Map<String, Long> rows = counts(service, tenant);
                rows.values().removeIf(n -> n == 0);
                if (!rows.isEmpty()) {
                    tenants.put(tenant.toString(), new JsonObject(new LinkedHashMap<>(rows)));
                }
            }
            answer(request, 200, new JsonObject().put("service", service).put("tenants", tenants));
        });
    }

    private void handle(HttpServerRequest request) {
        String[] parts = request.path().split("/");
        if (parts.length == 4 && TABLES.containsKey(parts[1]) && "tenants".equals(parts[2]) && "deletion-check".equals(parts[3])
                && "POST".equals(request.method().name())) {
            deletionCheck(request, parts[1]);
            return;
        }
        // "", service, "tenant", id [, "deletion-preview"]
        if (parts.length < 4 || !TABLES.containsKey(parts[1]) || !"tenant".equals(parts[2])) {
            answer(request, 404, new JsonObject().put("error", "not_found").put("message", "no such fake"));
            return;
        }
        String service = parts[1];
        UUID tenant = UUID.fromString(parts[3]);
        boolean preview = parts.length == 5 && "deletion-preview".equals(parts[4]);
        traceparents.computeIfAbsent(service + " " + request.method().name(), k -> new CopyOnWriteArrayList<>())
                .add(String.valueOf(request.getHeader("traceparent")));
        String problem = checkToken(service, request.getHeader("Authorization"));
        calls.add(new Call(service, request.method().name(), tenant, Instant.now(), request.getHeader("Idempotency-Key"),
                request.getParam("max_duration_ms")));
        if (problem != null) {
            rejections.add(service + " " + request.method() + ": " + problem);
            answer(request, 401, new JsonObject().put("error", "unauthorized").put("message", problem));
            return;
        }
        Behaviour behaviour = behaviour(service, tenant);
        if (preview && "GET".equals(request.method().name())) {
            Runnable answerPreview = () -> {
                if (behaviour.previewFails || behaviour.previewFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    answer(request, 500, new JsonObject().put("error", "preview_failed").put("message", "fake preview failure"));
                    return;
                }
                Map<String, Long> counts = counts(service, tenant);
                if (behaviour.previewOmits != null) {
                    counts.remove(behaviour.previewOmits);
                }
                answer(request, 200, new JsonObject().put("tenant_id", tenant.toString()).put("service", service)
                        .put("data_counts", new JsonObject(new LinkedHashMap<>(counts)))
                        .put("total_items", counts.values().stream().mapToLong(Long::longValue).sum())
                        .put("retained", new JsonObject(new LinkedHashMap<>(behaviour.retained))));
            };
            if (behaviour.previewDelayMs > 0) {
                vertx.setTimer(behaviour.previewDelayMs, id -> answerPreview.run());
            } else {
                answerPreview.run();
            }
            return;
        }
        if (parts.length == 5 && "export".equals(parts[4]) && "GET".equals(request.method().name())) {
            export(request, service, tenant, behaviour);
            return;
        }
        if (!preview && "DELETE".equals(request.method().name())) {
            delete(request, service, tenant, behaviour);
            return;
        }
        answer(request, 405, new JsonObject().put("error", "method_not_allowed").put("message", "fake"));
    }

    /**
     * GET {base}/tenant/{id}/export as the engine streams it: a line per fake row (parents first: the tables in reverse),
     * then the summary with the counts and the sha256 of the lines; chunked, a chunk per table.
     */
    private void export(HttpServerRequest request, String service, UUID tenant, Behaviour behaviour) {
        Map<String, Long> counts = counts(service, tenant);
        List<String> tables = new ArrayList<>(TABLES.get(service));
        Collections.reverse(tables);
        HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", "application/x-ndjson");
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long sent = 0;
        for (String table : tables) {
            StringBuilder chunk = new StringBuilder();
            for (long row = 1; row <= counts.getOrDefault(table, 0L); row++) {
                if (sent++ == behaviour.exportBreaksAfterLines) {
                    response.write(chunk.toString());
                    // the first bytes are out: then the service dies
                    vertx.setTimer(300, id -> request.connection().close());
                    return;
                }
                chunk.append(new JsonObject().put("table", table).put("row", new JsonObject().put("id", UUID.randomUUID().toString())
                        .put("tenant_id", tenant.toString()).put("n", row)).encode()).append('\n');
            }
            digest.update(chunk.toString().getBytes(StandardCharsets.UTF_8));
            response.write(chunk.toString());
        }
        JsonObject summary = new JsonObject().put("tenant_id", tenant.toString()).put("service", service)
                .put("counts", new JsonObject(new LinkedHashMap<>(counts))).put("total_rows", counts.values().stream().mapToLong(Long::longValue).sum())
                .put("sha256", HexFormat.of().formatHex(digest.digest()));
        response.end(new JsonObject().put("summary", summary).encode() + "\n");
    }

    /** DELETE as the second-edition engine answers it (and as the first edition when no key/budget is sent). */
    private void delete(HttpServerRequest request, String service, UUID tenant, Behaviour behaviour) {
        String key = request.getHeader("Idempotency-Key");
        boolean budgeted = request.getParam("max_duration_ms") != null;
        Receipt receipt = null;
        if (key != null) {
            receipt = receipts.computeIfAbsent(key, k -> new Receipt(service, tenant, zero(service)));
            if (!receipt.tenant().equals(tenant) || !receipt.service().equals(service)) {
                answer(request, 422, new JsonObject().put("error", "idempotency_key_reused")
                        .put("message", "this Idempotency-Key was used for another tenant"));
                return;
            }
        }
        if (behaviour.errorBody != null) {
            if (!request.response().closed()) {
                request.response().setStatusCode(500).putHeader("Content-Type", behaviour.errorContentType).end(behaviour.errorBody);
            }
            return;
        }
        if (behaviour.clientErrorStatus > 0) {
            answer(request, behaviour.clientErrorStatus, new JsonObject().put("error", "foreign_key_conflict")
                    .put("message", "fake client error"));
            return;
        }
        if (behaviour.conflictAfterRows >= 0) {
            Map<String, Long> thisCall = deleteUpTo(service, tenant, behaviour.conflictAfterRows, receipt == null ? null : receipt.totals());
            answer(request, 409, new JsonObject().put("error", "foreign_key_conflict")
                    .put("message", "rows of another tenant in table pos_devices reference this tenant's rows (fake)")
                    .put("summary", summary(service, tenant, receipt == null ? thisCall : receipt.totals(), false, false)));
            return;
        }
        if (behaviour.serverErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(request, 503, new JsonObject().put("error", "service_unavailable").put("message", "fake 5xx"));
            return;
        }
        if (behaviour.inProgress.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (!request.response().closed()) {
                request.response().putHeader("Retry-After", String.valueOf(behaviour.retryAfterSeconds));
            }
            answer(request, 503, new JsonObject().put("error", "deletion_in_progress")
                    .put("message", "another deletion of this tenant holds its lock"));
            return;
        }
        if (behaviour.failuresWithSummary.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            Map<String, Long> thisCall = deleteUpTo(service, tenant, behaviour.rowsBeforeFailure, receipt == null ? null : receipt.totals());
            answer(request, 500, new JsonObject().put("error", "deletion_failed").put("message", "fake failure after some batches")
                    .put("summary", summary(service, tenant, receipt == null ? thisCall : receipt.totals(), false, false)));
            return;
        }
        AtomicInteger pending = inFlight.computeIfAbsent(key(service, tenant), k -> new AtomicInteger());
        pending.incrementAndGet();
        begin(tenant);
        Receipt held = receipt;
        Runnable work = () -> {
            // a client that gave up rolls the deletion back, as a real service's transaction would
            if (request.response().closed()) {
                pending.decrementAndGet();
                end(tenant);
                return;
            }
            Map<String, Long> thisCall;
            if (behaviour.leaveRows) {
                thisCall = counts(service, tenant);
                if (held != null) {
                    thisCall.forEach((table, rows) -> held.totals().merge(table, rows, Long::sum));
                }
            } else {
                long limit = budgeted && behaviour.rowsPerCall > 0 ? behaviour.rowsPerCall : Long.MAX_VALUE;
                thisCall = deleteUpTo(service, tenant, limit, held == null ? null : held.totals());
            }
            boolean complete = behaviour.leaveRows || counts(service, tenant).values().stream().allMatch(n -> n == 0);
            JsonObject body = new JsonObject().put("message", "Tenant data deletion " + (complete ? "completed" : "continues") + " in " + service)
                    .put("summary", summary(service, tenant, held == null ? thisCall : held.totals(), complete, true));
            Runnable reply = () -> {
                pending.decrementAndGet();
                end(tenant);
                answer(request, 200, body);
            };
            if (behaviour.lostAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                vertx.setTimer(LOST_ANSWER_DELAY_MS, id -> reply.run());
            } else {
                reply.run();
            }
        };
        if (behaviour.deleteDelayMs > 0) {
            vertx.setTimer(behaviour.deleteDelayMs, id -> work.run());
        } else {
            work.run();
        }
    }

    private void begin(UUID tenant) {
        if (activeByTenant.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet() == 1 && watched.contains(tenant)) {
            activeWatched.add(tenant);
            maxActiveWatched.accumulateAndGet(activeWatched.size(), Math::max);
        }
    }

    private void end(UUID tenant) {
        if (activeByTenant.get(tenant).decrementAndGet() == 0) {
            activeWatched.remove(tenant);
        }
    }

    /**
     * Deletes up to {@code limit} of the tenant's rows, children first, adding them to {@code totals} (a
     * receipt) when given; the rows this call deleted, per table (every table present).
     */
    private synchronized Map<String, Long> deleteUpTo(String service, UUID tenant, long limit, Map<String, Long> totals) {
        Map<String, Long> rows = counts(service, tenant);
        Map<String, Long> deleted = zero(service);
        long left = limit;
        for (String table : TABLES.get(service)) {
            long take = Math.min(left, rows.get(table));
            rows.put(table, rows.get(table) - take);
            deleted.put(table, take);
            left -= take;
        }
        data.put(key(service, tenant), rows);
        if (totals != null) {
            synchronized (totals) {
                deleted.forEach((table, n) -> totals.merge(table, n, Long::sum));
            }
        }
        return deleted;
    }

    private static JsonObject summary(String service, UUID tenant, Map<String, Long> counts, boolean complete, boolean success) {
        Map<String, Long> copy;
        synchronized (counts) {
            copy = new LinkedHashMap<>(counts);
        }
        return new JsonObject().put("tenant_id", tenant.toString()).put("service_name", service)
                .put("deleted_counts", new JsonObject(new LinkedHashMap<>(copy)))
                .put("total_deleted", copy.values().stream().mapToLong(Long::longValue).sum()).put("complete", complete)
                .put("errors", success ? List.of() : List.of("fake failure")).put("success", success).put("duration_ms", 3);
    }

    private static Map<String, Long> zero(String service) {
        Map<String, Long> zero = new LinkedHashMap<>();
        TABLES.get(service).forEach(t -> zero.put(t, 0L));
        return zero;
    }

    private Map<String, Long> counts(String service, UUID tenant) {
        Map<String, Long> stored = data.get(key(service, tenant));
        return stored != null ? new LinkedHashMap<>(stored) : zero(service);
    }

    /** Null when the token is a valid orchestrator service token, else what is wrong with it. */
    private String checkToken(String service, String authorization) {
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
            String audience = audiences.getOrDefault(service, service);
            // one audience, as a string: the token is good for this service alone
            if (!audience.equals(claims.getValue("aud"))) {
                return "aud is " + claims.getValue("aud") + ", not " + audience;
            }
            if (claims.containsKey("scope")) {
                return "the orchestrator's tokens carry no scope, this one has " + claims.getValue("scope");
            }
            Long exp = claims.getLong("exp");
            Long iat = claims.getLong("iat");
            if (exp == null || iat == null || exp <= now || exp - iat > 600) {
                return "exp/iat missing, expired or longer than 10 minutes: " + claims;
            }
            lastClaims = claims;
            lastClaimsByService.put(service, claims);
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
