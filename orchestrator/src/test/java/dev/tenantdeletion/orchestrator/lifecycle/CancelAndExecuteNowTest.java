package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.assertError;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cancel and execute-now against every job status and every kind of token, as the contract lists them: only
 * a scheduled job can be cancelled (service, or the tenant's owner) or executed now (service with scope deletion:admin only), and what
 * was done is recorded (cancelled_at/by, expedited_by, the reason).
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class CancelAndExecuteNowTest {

    private static final List<String> STATUSES = List.of("scheduled", "pending", "running", "completed", "partially_failed", "failed",
            "cancelled");
    private final FakeServices fake = FakeServices.current();

    /** A kind of token, for a job of {@code tenant}: its sub, and whether it may cancel / execute now at all. */
    record Kind(String name, Function<UUID, String> token, String sub, boolean mayCancel, boolean mayExecuteNow) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("service with scope deletion:admin", tenant -> TestTokens.adminService("billing-service"), "billing-service", true, true),
            new Kind("service without scope", tenant -> TestTokens.service("billing-service"), "billing-service", true, false),
            new Kind("owner", tenant -> TestTokens.user("owner", tenant), "user-owner", true, false),
            new Kind("admin", tenant -> TestTokens.user("admin", tenant), "user-admin", false, false),
            new Kind("member", tenant -> TestTokens.user("member", tenant), "user-member", false, false),
            new Kind("owner of another tenant", tenant -> TestTokens.user("owner", UUID.randomUUID()), "user-owner", false, false));

    @Test
    void cancelAgainstEveryStatusAndTokenKind() {
        double cancelledBefore = cancelledJobsCounted();
        for (Kind kind : KINDS) {
            for (String status : STATUSES) {
                UUID tenant = UUID.randomUUID();
                UUID job = UUID.randomUUID();
                JobRows.jobIn(job, tenant, status);
                String label = kind.name() + " cancelling a " + status + " job";
                Instant before = Instant.now().minusSeconds(5);
                Response response = Api.cancel(kind.token().apply(tenant), job.toString());
                if (!kind.mayCancel()) {
                    assertError(label, 403, "forbidden", response);
                    assertEquals(status, JobRows.status(job), label);
                } else if (!"scheduled".equals(status)) {
                    assertError(label, 409, "job_not_cancellable", response);
                    assertEquals(status, JobRows.status(job), label);
                } else {
                    assertEquals(200, response.statusCode(), label + ": " + response.asString());
                    response.then().body("status", equalTo("cancelled")).body("cancelled_by", equalTo(kind.sub()))
                            .body("job_id", equalTo(job.toString())).body("expedited_by", equalTo(null));
                    Instant at = Instant.parse(response.jsonPath().getString("cancelled_at"));
                    assertTrue(at.isAfter(before) && !at.isAfter(Instant.now().plusSeconds(5)), label + ": cancelled_at " + at);
                    assertEquals("cancelled", JobRows.status(job));
                    assertEquals(kind.sub(), JobRows.column(job, "cancelled_by"));
                    // cancelled stays cancelled: a second cancel is refused, and the job is never started
                    assertError(label + " again", 409, "job_not_cancellable", Api.cancel(kind.token().apply(tenant), job.toString()));
                    Api.job(TestTokens.service(), job.toString()).then().statusCode(200).body("status", equalTo("cancelled"))
                            .body("cancelled_by", equalTo(kind.sub()));
                }
                if (kind.mayCancel()) {
                    assertError(kind.name() + " cancelling an unknown job", 404, "job_not_found", Api.cancel(kind.token().apply(tenant),
                            UUID.randomUUID().toString()));
                }
            }
        }
        long cancellers = KINDS.stream().filter(Kind::mayCancel).count();
        assertEquals(cancelledBefore + cancellers, cancelledJobsCounted(), "deletion_jobs_total{status=\"cancelled\"}: one per job cancelled");
    }

    /** The final-status counter of cancelled jobs, as Prometheus scrapes it. */
    private static double cancelledJobsCounted() {
        String scrape = RestAssured.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = Pattern.compile("(?m)^deletion_jobs_total\\{status=\"cancelled\",?\\} (\\S+)").matcher(scrape);
        assertTrue(sample.find(), "deletion_jobs_total{status=\"cancelled\"} is exported");
        return Double.parseDouble(sample.group(1));
    }

    @Test
    void executeNowAgainstEveryStatusAndTokenKind() {
        String body = "{\"reason\":\"customer confirmed the deletion in writing\"}";
        for (Kind kind : KINDS) {
            for (String status : STATUSES) {
                UUID tenant = UUID.randomUUID();
                UUID job = UUID.randomUUID();
                FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 4));
                JobRows.jobIn(job, tenant, status);
                String label = kind.name() + " executing a " + status + " job now";
                Response response = Api.executeNow(kind.token().apply(tenant), job.toString(), body);
                if (!kind.mayExecuteNow()) {
                    assertError(label, 403, "forbidden", response);
                    assertEquals(status, JobRows.status(job), label);
                } else if (!"scheduled".equals(status)) {
                    assertError(label, 409, "job_not_scheduled", response);
                    assertEquals(status, JobRows.status(job), label);
                } else {
                    assertEquals(202, response.statusCode(), label + ": " + response.asString());
                    assertEquals("/api/v1/deletion-jobs/" + job, response.getHeader("Location"));
                    assertTrue(List.of("pending", "running", "completed").contains(response.jsonPath().getString("status")), response.asString());
                    response.then().body("expedited_by", equalTo(kind.sub())).body("cancelled_by", equalTo(null));
                    assertNotNull(response.jsonPath().getString("execute_after"), "the original execute_after is kept");
                    Response done = awaitFinal(TestTokens.service(), job.toString(), Duration.ofSeconds(30));
                    assertEquals("completed", done.jsonPath().getString("status"), done.asString());
                    assertEquals(kind.sub(), done.jsonPath().getString("expedited_by"));
                    assertEquals("customer confirmed the deletion in writing", JobRows.column(job, "expedite_reason"));
                    assertNotNull(JobRows.column(job, "expedited_at"));
                    // and it is no longer scheduled
                    assertError(label + " again", 409, "job_not_scheduled", Api.executeNow(kind.token().apply(tenant), job.toString(), body));
                }
                if (!"scheduled".equals(status) || !kind.mayExecuteNow()) {
                    for (String service : FakeServices.TABLES.keySet()) {
                        assertEquals(List.of(), fake.calls(service, "DELETE", tenant), label + ": " + service + " was called");
                    }
                }
            }
        }
        assertError("executing an unknown job now", 404, "job_not_found", Api.executeNow(TestTokens.adminService(), UUID.randomUUID().toString(), body));
    }

    @Test
    void executeNowRefusesBadBodiesAndKeepsTheJobScheduled() {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        JobRows.jobIn(job, tenant, "scheduled");
        String service = TestTokens.adminService();
        List<String> bad = List.of("{}", "{\"reason\":null}", "{\"reason\":\"\"}", "{\"reason\":\"   \"}",
                "{\"reason\":\"" + "x".repeat(1001) + "\"}", "{\"reason\":" + Api.jsonString("\uD83D\uDE00".repeat(1001)) + "}",
                "{\"reason\":\"nul \\u0000 inside\"}", "{\"reason\":\"bell \\u0007\"}", "{\"reason\":\"del \\u007f\"}", "{\"reason\":\"ok\",\"force\":true}", "{\"reason\": ", "[\"reason\"]", "reason");
        for (String body : bad) {
            Response response = Api.executeNow(service, job.toString(), body);
            assertEquals(400, response.statusCode(), body.substring(0, Math.min(60, body.length())) + ": " + response.asString());
            assertTrue(response.contentType().startsWith("application/json"));
            response.then().body("error", org.hamcrest.Matchers.equalTo("invalid_request")).body("message", org.hamcrest.Matchers.notNullValue());
        }
        Response plain = Api.as(service).contentType("text/plain").body("{\"reason\":\"ok\"}").post(Api.JOBS + "/" + job + "/execute-now");
        assertEquals(415, plain.statusCode(), plain.asString());
        plain.then().body("error", org.hamcrest.Matchers.notNullValue());
        assertEquals("scheduled", JobRows.status(job));
        assertNull(JobRows.column(job, "expedited_by"));

        // any Unicode reason of up to 1,000 characters (an emoji is one) is kept exactly
        String reason = "\uD83D\uDE00 ".repeat(480) + "\u05E9\u05DC\u05D5\u05DD \u0627\u0644\u0639\u0631\u0628\u064A\u0629\u202E\t\r\n";
        assertTrue(reason.codePointCount(0, reason.length()) <= 1000);
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 1));
        Api.executeNow(service, job.toString(), "{\"reason\":" + Api.jsonString(reason) + "}").then().statusCode(202);
        assertEquals(reason, JobRows.column(job, "expedite_reason"));
        awaitFinal(service, job.toString(), Duration.ofSeconds(30));
    }
}
