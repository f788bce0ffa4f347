package dev.tenantdeletion.orchestrator.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.Await;
import dev.tenantdeletion.testing.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator's half of a job's trace: the run span, under it one span per DELETE call (service,
 * attempt, outcome), under each the Vert.x HTTP client span, whose context is what the service receives as
 * its W3C traceparent header. (The service's half — its request span under that traceparent and its SQL
 * spans under the request — is pos-service's DeletionTraceTest.)
 */
@QuarkusTest
@TestProfile(InMemorySpans.Profile.class)
@WithTestResource(OrchestratorTestResource.class)
class JobTraceTest {

    private static final Duration SPANS_WITHIN = Duration.ofSeconds(15);
    private static final Set<String> SERVICES = Set.of("pos-service", "external-service", "alert-processor");

    @Inject
    InMemorySpanExporter spans;

    private final FakeServices fake = FakeServices.current();
    private final String token = TestTokens.service();

    @Test
    void aJobsRunSpanParentsOneSpanPerServiceCallWhoseHttpSpanTheServiceReceivesAsTraceparent() {
        UUID tenant = UUID.randomUUID();
        SERVICES.forEach(s -> fake.seed(s, tenant, 20));
        fake.behaviour("pos-service", tenant).serverErrors(1); // a retried attempt: its own span, outcome server_error
        Response created = Api.submit(token, tenant);
        created.then().statusCode(202);
        String jobId = created.jsonPath().getString("job_id");
        Response done = Api.awaitFinal(token, jobId, Duration.ofSeconds(30));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());

        SpanData run = Await.until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(JobTracing.CLAIM_SPAN) && jobId.equals(s.getAttributes().get(JobTracing.JOB_ID)))
                .findFirst().orElse(null), SPANS_WITHIN, "the run's span");
        assertFalse(run.getParentSpanContext().isValid(), "a run is the root of its trace");
        assertEquals(tenant.toString(), run.getAttributes().get(JobTracing.TENANT_ID));
        assertEquals("completed", run.getAttributes().get(JobTracing.STATUS));
        String trace = run.getTraceId();

        List<SpanData> inTrace = Await.until(() -> {
            List<SpanData> all = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
            long calls = all.stream().filter(s -> s.getName().equals(JobTracing.CALL_SPAN)).count();
            return calls >= 4 ? all : null;
        }, SPANS_WITHIN, "four call spans");
        List<SpanData> calls = inTrace.stream().filter(s -> s.getName().equals(JobTracing.CALL_SPAN)).toList();
        for (SpanData call : calls) {
            assertEquals(run.getSpanId(), call.getParentSpanId(), "a call's parent is the run");
        }
        Map<String, List<SpanData>> byService = calls.stream().collect(Collectors.groupingBy(c -> c.getAttributes().get(JobTracing.SERVICE)));
        assertEquals(SERVICES, byService.keySet());
        List<String> posOutcomes = byService.get("pos-service").stream()
                .sorted(java.util.Comparator.comparing(c -> c.getAttributes().get(JobTracing.ATTEMPT)))
                .map(c -> c.getAttributes().get(JobTracing.ATTEMPT) + ":" + c.getAttributes().get(JobTracing.OUTCOME)).toList();
        assertEquals(List.of("1:server_error", "2:success"), posOutcomes);
        assertEquals(List.of("1:success"), byService.get("external-service").stream()
                .map(c -> c.getAttributes().get(JobTracing.ATTEMPT) + ":" + c.getAttributes().get(JobTracing.OUTCOME)).toList());

        List<String> received = fake.traceparents("pos-service", "DELETE");
        for (SpanData call : calls) {
            List<SpanData> http = inTrace.stream().filter(s -> s.getParentSpanId().equals(call.getSpanId()) && s.getKind() == SpanKind.CLIENT)
                    .toList();
            assertEquals(1, http.size(), "one HTTP client span under the call span " + call);
            SpanData client = http.get(0);
            assertTrue(client.getName().startsWith("DELETE"), client.getName());
            String traceparent = "00-" + trace + "-" + client.getSpanId() + "-01";
            List<String> got = fake.traceparents(call.getAttributes().get(JobTracing.SERVICE), "DELETE");
            assertTrue(got.contains(traceparent), "the service received " + traceparent + ", got " + got);
        }
        assertTrue(received.size() >= 2);

        // nothing but ids in the attributes: no token, no tenant name, no reason
        String bearer = token;
        for (SpanData span : inTrace) {
            span.getAttributes().forEach((key, value) -> {
                String text = String.valueOf(value);
                assertFalse(text.contains(bearer) || text.contains("Test Bakery") || text.contains("customer left"),
                        span.getName() + " " + key + "=" + text);
            });
        }
        // the job store's SQL of the run is in the trace too
        assertTrue(inTrace.stream().anyMatch(s -> s.getKind() == SpanKind.CLIENT && s.getAttributes().asMap().keySet().stream()
                .anyMatch(k -> k.getKey().startsWith("db."))), "the run's SQL spans");
    }
}
