package dev.tenantdeletion.pos;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the packaged-pos tests and the heap benchmark share: a session-heavy tenant seeded set-based (the shape of issue
 * 26's out-of-memory: every session's id was held in the heap), DELETE over HTTP with a long read timeout, and the
 * packaged app's GC log (pos-service/pom.xml starts it with deploy/jvm/java-options and -Xlog:gc).
 */
final class PackagedPos {

    static final Path GC_LOG = Path.of("target", "packaged-gc.log");
    /** A serial-GC log line: {@code GC(12) Pause Young (Allocation Failure) 20M->15M(30M) 3.4ms}; group 1 is the heap after it. */
    private static final Pattern GC_LINE = Pattern.compile("GC\\(\\d+\\) Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PackagedPos() {
    }

    /**
     * One configuration, 100 devices, {@code sessions} sessions and {@code transactions} transactions on them, set-based;
     * answers the counts per table in plan order.
     */
    static Map<String, Long> seed(Connection db, UUID tenant, int sessions, int transactions) throws SQLException {
        update(db, "insert into pos_configurations (id, tenant_id, provider, name) values (gen_random_uuid(), ?, 'square', 'big')", tenant);
        update(db, """
                insert into pos_devices (id, tenant_id, configuration_id, device_name)
                select gen_random_uuid(), c.tenant_id, c.id, 'device ' || g from pos_configurations c, generate_series(1, 100) g
                 where c.tenant_id = ?""", tenant);
        update(db, """
                insert into pos_sessions (id, tenant_id, configuration_id, device_id, status)
                select gen_random_uuid(), ?, d.configuration_id, d.ids[1 + g % 100], 'closed'
                  from generate_series(1, ?) g,
                       (select min(configuration_id::text)::uuid as configuration_id, array_agg(id) as ids
                          from pos_devices where tenant_id = ?) d""", tenant, sessions, tenant);
        update(db, """
                insert into pos_transactions (id, tenant_id, session_id, configuration_id, amount)
                select gen_random_uuid(), ?, s.ids[1 + g % cardinality(s.ids)], s.configuration_id, 1
                  from generate_series(1, ?) g,
                       (select array_agg(id) as ids, min(configuration_id::text)::uuid as configuration_id
                          from pos_sessions where tenant_id = ?) s""", tenant, transactions, tenant);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pos_transactions", (long) transactions);
        counts.put("pos_sessions", (long) sessions);
        counts.put("pos_devices", 100L);
        counts.put("pos_configurations", 1L);
        return counts;
    }

    /**
     * DELETE of the tenant (with {@code query}, e.g. a budget, or "", and an Idempotency-Key or null), waiting up to 10
     * minutes; the status and the body.
     */
    static HttpResponse<String> delete(UUID tenant, String query, String key) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/pos/tenant/"
                            + tenant + query))
                    .header("Authorization", "Bearer " + TestTokens.service()).timeout(Duration.ofMinutes(10)).DELETE();
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Long> deletedCounts(String body) {
        Map<String, Long> counts = new LinkedHashMap<>();
        JsonPath.from(body).<String, Object>getMap("summary.deleted_counts").forEach((table, n) -> counts.put(table, ((Number) n).longValue()));
        return counts;
    }

    /** The GC log's lines so far (none before the first collection). */
    static List<String> gcLines() {
        try {
            return Files.exists(GC_LOG) ? Files.readAllLines(GC_LOG) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Of these GC log lines: {collections, the largest heap after a collection (MB), the largest heap before one (MB)}. */
    static long[] heapAfterCollections(List<String> lines) {
        long collections = 0;
        long maxAfter = 0;
        long maxBefore = 0;
        for (String line : lines) {
            Matcher matcher = GC_LINE.matcher(line);
            if (matcher.find()) {
                collections++;
                maxBefore = Math.max(maxBefore, Long.parseLong(matcher.group(1)));
                maxAfter = Math.max(maxAfter, Long.parseLong(matcher.group(2)));
            }
        }
        return new long[] {collections, maxAfter, maxBefore};
    }
}
