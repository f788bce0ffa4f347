package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.token.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP call to a service of the contract (DELETE or preview), with the orchestrator's own service
 * token for that service (its audience, so the service cannot replay it elsewhere) and the service's
 * timeout. Non-blocking (Vert.x WebClient); every failure becomes a {@link CallFailure} saying whether a
 * retry may help.
 */
@ApplicationScoped
public class ServiceClient {

    private final WebClient client;
    private final ServiceTokens tokens;

    public ServiceClient(Vertx vertx, ServiceTokens tokens) {
        this.tokens = tokens;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("tenant-deletion-orchestrator")
                .setKeepAlive(true)
                .setMaxPoolSize(32)
                .setFollowRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * DELETE {base}/tenant/{tenantId}?max_duration_ms=… with {@code Idempotency-Key}: the totals the
     * service has deleted under that key, per table, and whether the tenant is now empty there.
     */
    public Uni<DeleteAnswer> delete(RegisteredService service, UUID tenant, String idempotencyKey) {
        String url = service.deleteUrl(tenant.toString()) + "?max_duration_ms=" + service.deleteBudgetMillis();
        return call(HttpMethod.DELETE, service, url, idempotencyKey)
                .map(json -> {
                    JsonObject summary = json.getValue("summary") instanceof JsonObject s ? s : null;
                    Map<String, Long> counts = counts(summary, "deleted_counts", service);
                    // a first-edition service may not send "complete": its one call did everything
                    boolean complete = !(summary.getValue("complete") instanceof Boolean b) || b;
                    return new DeleteAnswer(counts, complete, receipt(summary));
                });
    }

    /** GET {base}/tenant/{tenantId}/deletion-preview: the rows the service still holds, per table. */
    public Uni<Map<String, Long>> preview(RegisteredService service, UUID tenant) {
        return call(HttpMethod.GET, service, service.previewUrl(tenant.toString()), null)
                .map(json -> counts(json, "data_counts", service));
    }

    /** A preview with what the service keeps on purpose: {@code retained} ({@code <table>: <rule>}). */
    public record Preview(Map<String, Long> counts, Map<String, Object> retained) {
    }

    /**
     * The preview and its {@code retained} part (what the verification records for the certificate). A
     * preview without {@code retained} (a first-edition service) keeps nothing: an empty map.
     */
    public Uni<Preview> previewWithRetained(RegisteredService service, UUID tenant) {
        return call(HttpMethod.GET, service, service.previewUrl(tenant.toString()), null)
                .map(json -> new Preview(counts(json, "data_counts", service),
                        json.getValue("retained") instanceof JsonObject retained ? new LinkedHashMap<>(retained.getMap())
                                : new LinkedHashMap<>()));
    }

    /**
     * POST {base}/tenants/deletion-check with up to 1,000 tenant ids: the rows per table of those tenants that hold
     * any ({@code tenant id → table → rows}), none for the others. Called by the re-verification sweep, with the same
     * token and timeout as every other call.
     */
    public Uni<Map<UUID, Map<String, Long>>> deletionCheck(RegisteredService service, List<UUID> tenants) {
        JsonObject body = new JsonObject().put("tenant_ids", new JsonArray(tenants.stream().map(UUID::toString).toList()));
        return call(HttpMethod.POST, service, service.deletionCheckUrl(), null, body)
                .map(json -> {
                    if (!(json.getValue("tenants") instanceof JsonObject found)) {
                        throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, service.name() + " answered without tenants");
                    }
                    Map<UUID, Map<String, Long>> result = new LinkedHashMap<>();
                    for (String id : found.fieldNames()) {
                        UUID tenant;
                        try {
                            tenant = UUID.fromString(id);
                        } catch (IllegalArgumentException e) {
                            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, service.name() + " answered a tenant id that is no UUID");
                        }
                        result.put(tenant, counts(found, id, service));
                    }
                    return result;
                });
    }

    private Uni<JsonObject> call(HttpMethod method, RegisteredService service, String url, String idempotencyKey) {
        return call(method, service, url, idempotencyKey, null);
    }

    private Uni<JsonObject> call(HttpMethod method, RegisteredService service, String url, String idempotencyKey, JsonObject body) {
        long timeoutMs = service.timeout().toMillis();
        return Uni.createFrom().deferred(() -> {
                    var request = client.requestAbs(method, url)
                            .bearerTokenAuthentication(tokens.forService(service))
                            .putHeader("Accept", "application/json")
                            .connectTimeout(timeoutMs)
                            .idleTimeout(timeoutMs);
                    if (idempotencyKey != null) {
                        request.putHeader("Idempotency-Key", idempotencyKey);
                    }
                    return body == null ? request.send() : request.sendJsonObject(body);
                })
                // the whole call, not only each silence, is bounded by the timeout
                .ifNoItem().after(service.timeout())
                .failWith(() -> new CallFailure(CallFailure.Kind.TIMEOUT, describe(method, service)
                        + " timed out after " + service.timeout().toMillis() + " ms"))
                .onFailure(f -> !(f instanceof CallFailure)).transform(f -> classify(f, method, service))
                .map(response -> checkStatus(response, method, service));
    }

    private static JsonObject checkStatus(HttpResponse<Buffer> response, HttpMethod method, RegisteredService service) {
        int status = response.statusCode();
        JsonObject body = json(response);
        if (status >= 200 && status < 300) {
            if (body == null) {
                throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE,
                        describe(method, service) + " answered " + status + " without a JSON body", Map.of(), null, null, null, rawBody(response));
            }
            return body;
        }
        String message = describe(method, service) + " answered HTTP " + status + ServiceErrors.of(body);
        // 500 deletion_failed and 409 foreign_key_conflict carry what committed batches removed (the totals
        // under the key): those rows are gone whatever the status, and must be recorded
        Map<String, Long> partial = Map.of();
        String receipt = null;
        if (body != null && body.getValue("summary") instanceof JsonObject summary
                && summary.getValue("deleted_counts") instanceof JsonObject deleted) {
            partial = Counts.of(deleted);
            receipt = receipt(summary);
        }
        String detail = "its answer: " + rawBody(response);
        if (status >= 500) {
            // 502/503/504: a proxy or the service says "not now" (restarting, deploying, the tenant's lock held)
            boolean unavailable = status == 502 || status == 503 || status == 504;
            throw new CallFailure(CallFailure.Kind.SERVER_ERROR, message, partial, receipt, retryAfter(response), null, detail,
                    unavailable);
        }
        if (status >= 400) {
            throw new CallFailure(CallFailure.Kind.CLIENT_ERROR, message, partial, receipt, null, null, detail);
        }
        throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, message, Map.of(), null, null, null, detail);
    }

    /** The body as the service sent it, bounded: for the log line, never for the job. */
    private static String rawBody(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return "(empty)";
        }
        String text = body.toString();
        return text.length() <= ServiceErrors.MAX_LOGGED_BODY ? text : text.substring(0, ServiceErrors.MAX_LOGGED_BODY) + "…";
    }

    /** The receipt a summary's counts are the totals of: its first call's time, null when the service names none. */
    private static String receipt(JsonObject summary) {
        return summary != null && summary.getValue("receipt") instanceof JsonObject receipt
                && receipt.getValue("first_call_at") instanceof String firstCallAt ? firstCallAt : null;
    }

    /** Retry-After in seconds (503 deletion_in_progress); the HTTP-date form is not used by the services. */
    private static Duration retryAfter(HttpResponse<Buffer> response) {
        String value = response.getHeader("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A failure without an answer: what the job records is a fixed phrase (no host, no exception text); the rest is logged. */
    private static CallFailure classify(Throwable failure, HttpMethod method, RegisteredService service) {
        String call = describe(method, service);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return new CallFailure(CallFailure.Kind.TIMEOUT, call + " timed out after " + service.timeout().toMillis()
                        + " ms", Map.of(), failure);
            }
            if (t instanceof ConnectException) {
                return new CallFailure(CallFailure.Kind.CONNECTION, call + " could not connect (connection refused)", Map.of(), failure);
            }
        }
        return new CallFailure(CallFailure.Kind.CONNECTION, call + " failed without an answer (connection error)", Map.of(), failure);
    }

    private static String describe(HttpMethod method, RegisteredService service) {
        return method.name() + " to " + service.name();
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return body.toJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Long> counts(JsonObject parent, String field, RegisteredService service) {
        JsonObject counts = parent != null && parent.getValue(field) instanceof JsonObject c ? c : null;
        if (counts == null) {
            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, service.name() + " answered without " + field);
        }
        Map<String, Long> result = Counts.of(counts);
        if (result.size() != counts.size()) {
            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, service.name() + " answered non-numeric " + field);
        }
        return result;
    }
}
