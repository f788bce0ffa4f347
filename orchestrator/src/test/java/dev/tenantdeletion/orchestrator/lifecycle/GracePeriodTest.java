package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.JOBS;
import static dev.tenantdeletion.orchestrator.support.Api.as;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Grace periods: a scheduled job deletes nothing before its execute_after and then runs by itself (the
 * application's own sweep, every 500 ms here), with no call from anyone; bad values of the new fields are
 * refused with nothing stored.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class GracePeriodTest {

    /** Generous: a loaded 2-core machine may be slow to sweep and run. */
    private static final Duration FINISH = Duration.ofSeconds(30);
    private final FakeServices fake = FakeServices.current();

    @Test
    void aScheduledJobDeletesNothingBeforeItsTimeAndRunsAfterItWithoutAnyCall() {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = new java.util.HashMap<>();
        FakeServices.TABLES.keySet().forEach(s -> seeded.put(s, fake.seed(s, tenant, 7)));
        Instant due = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        Response created = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + tenant + "\",\"reason\":\"left\",\"execute_after\":\""
                + due + "\"}");
        created.then().statusCode(202).body("status", equalTo("scheduled")).body("execute_after", equalTo(due.toString()))
                .body("blocked_by", equalTo(null)).body("started_at", equalTo(null));
        String jobId = created.jsonPath().getString("job_id");
        // one active job per tenant: a scheduled one counts
        Api.submit(TestTokens.service(), tenant).then().statusCode(200).body("job_id", equalTo(jobId)).body("status", equalTo("scheduled"));

        // until execute_after: still scheduled, no DELETE sent, every row still there
        while (Instant.now().isBefore(due.minusMillis(300))) {
            Response job = Api.job(TestTokens.service(), jobId);
            if (Instant.now().isBefore(due)) {
                assertEquals("scheduled", job.jsonPath().getString("status"), job.asString());
            }
            for (String service : FakeServices.TABLES.keySet()) {
                assertEquals(List.of(), fake.calls(service, "DELETE", tenant), service + " was called before execute_after");
            }
            sleep(100);
        }
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(seeded.get(service), Api.longs(Api.preview(TestTokens.service(), tenant.toString()), "services.'" + service
                    + "'.data_counts"), service + " lost rows before execute_after");
        }

        Response done = awaitFinal(TestTokens.service(), jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertTrue(done.jsonPath().getBoolean("verified"));
        assertEquals(due.toString(), done.jsonPath().getString("execute_after"));
        assertFalse(Instant.parse(done.jsonPath().getString("started_at")).isBefore(due), "started before execute_after: " + done.asString());
        for (String service : FakeServices.TABLES.keySet()) {
            assertFalse(fake.calls(service, "DELETE", tenant).get(0).at().isBefore(due), service + " called before execute_after");
        }
        assertNull(done.jsonPath().get("expedited_by"));
        assertNull(done.jsonPath().get("cancelled_by"));
        assertEquals(List.of(), fake.rejections());
    }

    @Test
    void aGracePeriodSchedulesTheJobThatLongFromNow() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 3));
        Instant before = Instant.now();
        Response created = Api.submit(TestTokens.user("owner", tenant), "{\"tenant_id\":\"" + tenant + "\",\"grace_period\":\"PT2S\"}");
        created.then().statusCode(202).body("status", equalTo("scheduled"));
        Instant due = Instant.parse(created.jsonPath().getString("execute_after"));
        // the database's clock decides; allow it a little skew against this JVM's
        assertTrue(!due.isBefore(before.plusMillis(1500)) && !due.isAfter(Instant.now().plusMillis(2500)), "execute_after " + due);
        Response done = awaitFinal(TestTokens.service(), created.jsonPath().getString("job_id"), FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());

        // P30D is accepted and kept as scheduled; PT0S and an instant already past start at once
        UUID later = UUID.randomUUID();
        Response month = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + later + "\",\"grace_period\":\"P30D\"}");
        month.then().statusCode(202).body("status", equalTo("scheduled"));
        Instant monthDue = Instant.parse(month.jsonPath().getString("execute_after"));
        assertTrue(Duration.between(Instant.now(), monthDue).toDays() >= 29, monthDue.toString());
        Api.cancel(TestTokens.service(), month.jsonPath().getString("job_id")).then().statusCode(200);
        for (String body : List.of("\"grace_period\":\"PT0S\"", "\"execute_after\":\"2020-01-01T00:00:00+01:00\"")) {
            UUID now = UUID.randomUUID();
            FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, now, 2));
            Response atOnce = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + now + "\"," + body + "}");
            atOnce.then().statusCode(202);
            assertTrue(List.of("pending", "running", "completed").contains(atOnce.jsonPath().getString("status")), atOnce.asString());
            assertEquals("completed", awaitFinal(TestTokens.service(), atOnce.jsonPath().getString("job_id"), FINISH)
                    .jsonPath().getString("status"));
        }
    }

    @Test
    void badValuesOfTheNewFieldsAreRefusedAndNothingIsStored() {
        String service = TestTokens.service();
        String soon = Instant.now().plusSeconds(3600).toString();
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("grace period above P90D", "\"grace_period\":\"P91D\"");
        bad.put("grace period a second above P90D", "\"grace_period\":\"PT2160H1S\"");
        bad.put("negative grace period", "\"grace_period\":\"-PT1S\"");
        bad.put("grace period in months", "\"grace_period\":\"P1M\"");
        bad.put("grace period in words", "\"grace_period\":\"30 days\"");
        bad.put("empty grace period", "\"grace_period\":\"\"");
        bad.put("grace period overflowing", "\"grace_period\":\"PT9999999999999999999H\"");
        bad.put("both fields", "\"grace_period\":\"P1D\",\"execute_after\":\"" + soon + "\"");
        bad.put("instant without a zone", "\"execute_after\":\"2026-12-31T00:00:00\"");
        bad.put("a date only", "\"execute_after\":\"2026-12-31\"");
        bad.put("instant in words", "\"execute_after\":\"tomorrow\"");
        bad.put("instant beyond P90D", "\"execute_after\":\"" + Instant.now().plus(Duration.ofDays(91)) + "\"");
        bad.put("unknown field", "\"grace\":\"P1D\"");
        bad.put("unknown field beside known ones", "\"grace_period\":\"P1D\",\"priority\":1");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            UUID tenant = UUID.randomUUID();
            Response response = Api.submit(service, "{\"tenant_id\":\"" + tenant + "\"," + c.getValue() + "}");
            assertEquals(400, response.statusCode(), c.getKey() + ": " + response.asString());
            response.then().body("error", equalTo("invalid_request")).body("message", org.hamcrest.Matchers.notNullValue());
            assertEquals(0, JobRows.jobsOf(tenant), c.getKey() + ": a job was stored");
        }
        UUID tenant = UUID.randomUUID();
        for (String body : List.of("{\"tenant_id\":\"" + tenant + "\",\"grace_period\":", "[\"P1D\"]", "P1D")) {
            Response response = Api.submit(service, body);
            assertEquals(400, response.statusCode(), body + ": " + response.asString());
            assertTrue(response.contentType().startsWith("application/json"));
        }
        Response plain = as(service).contentType("text/plain").body("{\"tenant_id\":\"" + tenant + "\",\"grace_period\":\"P1D\"}").post(JOBS);
        assertEquals(415, plain.statusCode(), plain.asString());
        plain.then().body("error", org.hamcrest.Matchers.notNullValue());
        assertEquals(0, JobRows.jobsOf(tenant));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
