package dev.tenantdeletion.pos.tracing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.pos.PosSeeder;
import dev.tenantdeletion.testing.Await;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The service's half of a job's trace: a DELETE that arrives with the orchestrator's W3C traceparent is served
 * under a request span that is the child of the span the header names, and every SQL statement of the
 * deletion is a span below that request (the reactive PostgreSQL client's tracing). With the orchestrator's
 * JobTraceTest — run span, call span, HTTP client span sent as that header — this is the whole chain.
 */
@QuarkusTest
@TestProfile(InMemorySpans.Profile.class)
@WithTestResource(PostgresTestDatabase.class)
class DeletionTraceTest extends ServiceTestSupport {

    @Inject
    InMemorySpanExporter spans;

    @Override
    protected TenantSeeder seeder() {
        return new PosSeeder();
    }

    @Test
    void aDeleteUnderAnIncomingTraceparentIsItsChildAndItsSqlStatementsAreBelowIt() {
        UUID tenant = seededTenant(30);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        String token = TestTokens.service();
        given().header("Authorization", "Bearer " + token).header("traceparent", "00-" + trace + "-" + callerSpan + "-01")
                .header("Idempotency-Key", "job-1:pos-service")
                .delete(basePath + "/tenant/" + tenant)
                .then().statusCode(200);

        List<SpanData> inTrace = Await.until(() -> {
            List<SpanData> all = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
            return all.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER) ? all : null;
        }, Duration.ofSeconds(15), "the request's span");
        SpanData server = inTrace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertEquals(callerSpan, server.getParentSpanId(), "the request span is the child of the caller's span");
        assertTrue(server.getParentSpanContext().isRemote());
        assertTrue(server.getName().startsWith("DELETE"), server.getName());

        Map<String, SpanData> byId = new HashMap<>();
        inTrace.forEach(s -> byId.put(s.getSpanId(), s));
        List<SpanData> sql = inTrace.stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && s.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().startsWith("db.")))
                .toList();
        assertFalse(sql.isEmpty(), "SQL spans in the trace: " + inTrace.stream().map(SpanData::getName).toList());
        Set<String> statements = new java.util.TreeSet<>();
        for (SpanData statement : sql) {
            assertTrue(descendsFrom(statement, server, byId), statement.getName() + " is below the request span");
            statement.getAttributes().forEach((key, value) -> {
                String text = String.valueOf(value);
                assertFalse(text.contains(tenant.toString()), "a tenant id in the SQL span " + key + "=" + text);
                assertFalse(text.contains(token), "the token in " + key);
            });
            statements.add(String.valueOf(statement.getAttributes().asMap().entrySet().stream()
                    .filter(e -> e.getKey().getKey().equals("db.query.text") || e.getKey().getKey().equals("db.statement"))
                    .map(Map.Entry::getValue).findFirst().orElse(statement.getName())));
        }
        // the deletion's own statements: a DELETE per table of the plan
        for (String table : tables()) {
            assertTrue(statements.stream().anyMatch(s -> s.toLowerCase(java.util.Locale.ROOT).contains("delete from " + table)),
                    "a span for the DELETE from " + table + " in " + statements);
        }
        for (SpanData span : inTrace) {
            span.getAttributes().forEach((key, value) -> assertFalse(String.valueOf(value).contains(token), span.getName() + " " + key));
        }
    }

    private static boolean descendsFrom(SpanData span, SpanData ancestor, Map<String, SpanData> byId) {
        for (SpanData s = span; s != null; s = byId.get(s.getParentSpanId())) {
            if (s.getSpanId().equals(ancestor.getSpanId())) {
                return true;
            }
        }
        return false;
    }
}
