package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.assertError;
import static dev.tenantdeletion.orchestrator.support.Api.as;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static dev.tenantdeletion.orchestrator.support.Api.hold;
import static dev.tenantdeletion.orchestrator.support.Api.placeHold;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Legal holds: refused deletions while one is in force (new jobs, retries, execute-now), a scheduled job that
 * comes due staying scheduled until the hold is lifted or its until passes, no hold placed over a deletion in
 * progress, who may do what, bad input, and the audit record of every hold placed and lifted.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class LegalHoldTest {

    private static final Duration FINISH = Duration.ofSeconds(30);
    private final FakeServices fake = FakeServices.current();

    @Test
    void aHoldRefusesNewJobsAndRetriesAndIsReadAsTheContractSays() {
        UUID tenant = UUID.randomUUID();
        Response placed = placeHold(TestTokens.adminService("legal-service"), tenant, "{\"reason\":\"litigation hold 2026-CV-0142\",\"until\":null}");
        placed.then().statusCode(200).body("tenant_id", equalTo(tenant.toString())).body("reason", equalTo("litigation hold 2026-CV-0142"))
                .body("until", equalTo(null)).body("placed_by", equalTo("legal-service"));
        Instant placedAt = Instant.parse(placed.jsonPath().getString("placed_at"));
        assertTrue(Duration.between(placedAt, Instant.now()).abs().getSeconds() < 30, placedAt.toString());
        for (String token : List.of(TestTokens.service(), TestTokens.user("owner", tenant), TestTokens.user("admin", tenant))) {
            as(token).get(hold(tenant.toString())).then().statusCode(200).body("reason", equalTo("litigation hold 2026-CV-0142"))
                    .body("placed_at", equalTo(placed.jsonPath().getString("placed_at")));
        }
        // rights: only service tokens with scope deletion:admin place or lift; owner/admin of that tenant may read
        // (every token kind against every operation: rest/AccessPolicyTableTest)
        for (String token : List.of(TestTokens.service(), TestTokens.serviceWithScope("deletion:read"))) {
            Response refused = placeHold(token, tenant, "{\"reason\":\"x\"}");
            assertError("service without the scope placing", 403, "forbidden", refused);
            refused.then().body("message", equalTo("placing a legal hold needs scope deletion:admin, which this service token does not carry"));
            assertError("service without the scope lifting", 403, "forbidden", as(token).delete(hold(tenant.toString())));
        }
        for (String token : List.of(TestTokens.user("owner", tenant), TestTokens.user("admin", tenant), TestTokens.user("member", tenant))) {
            assertError("user placing", 403, "forbidden", placeHold(token, tenant, "{\"reason\":\"x\"}"));
            assertError("user lifting", 403, "forbidden", as(token).delete(hold(tenant.toString())));
        }
        assertError("member reading", 403, "forbidden", as(TestTokens.user("member", tenant)).get(hold(tenant.toString())));
        assertError("admin of another tenant reading", 403, "forbidden", as(TestTokens.user("admin", UUID.randomUUID())).get(hold(tenant.toString())));
        assertError("no token", 401, null, as(null).get(hold(tenant.toString())));
        assertError("bad tenant id", 400, "invalid_tenant_id", placeHold(TestTokens.adminService(), "abc", "{\"reason\":\"x\"}"));

        // new jobs are refused, for the service and the owner alike, and nothing is stored
        assertError("new job by a service", 409, "legal_hold", Api.submit(TestTokens.service(), tenant));
        assertError("new job by the owner", 409, "legal_hold", Api.submit(TestTokens.user("owner", tenant), tenant));
        assertEquals(0, JobRows.jobsOf(tenant));

        // a retry of a failed job is refused too
        UUID failed = UUID.randomUUID();
        JobRows.jobIn(failed, tenant, "failed");
        assertError("retry", 409, "legal_hold", Api.retry(TestTokens.service(), failed.toString()));
        assertEquals("failed", JobRows.status(failed));

        // lifted: gone from GET, and deletions go ahead
        as(TestTokens.adminService("legal-service")).delete(hold(tenant.toString())).then().statusCode(204);
        assertError("hold after lifting", 404, "legal_hold_not_found", as(TestTokens.service()).get(hold(tenant.toString())));
        assertError("lifting again", 404, "legal_hold_not_found", as(TestTokens.adminService()).delete(hold(tenant.toString())));
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 3));
        Api.retry(TestTokens.service(), failed.toString()).then().statusCode(202);
        assertEquals("completed", awaitFinal(TestTokens.service(), failed.toString(), FINISH).jsonPath().getString("status"));
        Api.submit(TestTokens.service(), tenant).then().statusCode(202);
        assertError("hold of a tenant never held", 404, "legal_hold_not_found", as(TestTokens.service()).get(hold(UUID.randomUUID().toString())));
    }

    @Test
    void aScheduledJobComingDueWhileHeldStaysScheduledUntilTheHoldIsLifted() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 6));
        // a few seconds ahead, so that the hold is surely placed before the job comes due, even on a slow machine
        Instant due = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        String jobId = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + tenant + "\",\"execute_after\":\"" + due + "\"}")
                .then().statusCode(202).extract().jsonPath().getString("job_id");
        placeHold(TestTokens.adminService(), tenant, "{\"reason\":\"regulator inquiry\"}").then().statusCode(200);
        Api.job(TestTokens.service(), jobId).then().body("status", equalTo("scheduled")).body("blocked_by", equalTo("legal_hold"));
        assertError("execute-now while held", 409, "legal_hold", Api.executeNow(TestTokens.adminService(), jobId, "{\"reason\":\"hurry\"}"));

        // well past execute_after and several sweeps (500 ms) later: still scheduled, nothing deleted
        Api.await("execute_after passing", Duration.ofSeconds(10), () -> Instant.now().isAfter(due.plusSeconds(2)));
        Response held = Api.job(TestTokens.service(), jobId);
        held.then().body("status", equalTo("scheduled")).body("blocked_by", equalTo("legal_hold"));
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(List.of(), fake.calls(service, "DELETE", tenant), service + " called under a legal hold");
        }
        // a scheduled job is not a deletion in progress: the hold can be replaced (and is kept in the record)
        placeHold(TestTokens.adminService(), tenant, "{\"reason\":\"regulator inquiry, extended\"}").then().statusCode(200);

        Instant lifted = Instant.now();
        as(TestTokens.adminService("legal-service")).delete(hold(tenant.toString())).then().statusCode(204);
        Response done = awaitFinal(TestTokens.service(), jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertEquals(null, (Object) done.jsonPath().get("blocked_by"));
        for (String service : FakeServices.TABLES.keySet()) {
            assertFalse(fake.calls(service, "DELETE", tenant).get(0).at().isBefore(lifted), service + " called before the hold was lifted");
        }

        List<Map<String, String>> record = audit(tenant);
        assertEquals(2, record.size(), record.toString());
        assertEquals("regulator inquiry", record.get(0).get("reason"));
        assertEquals("auth-service", record.get(0).get("placed_by"));
        assertEquals("replaced", record.get(0).get("lifted_how"));
        assertEquals("auth-service", record.get(0).get("lifted_by"));
        assertEquals("regulator inquiry, extended", record.get(1).get("reason"));
        assertEquals("lifted", record.get(1).get("lifted_how"));
        assertEquals("legal-service", record.get(1).get("lifted_by"));
        record.forEach(row -> assertTrue(row.get("placed_at") != null && row.get("lifted_at") != null, row.toString()));
    }

    @Test
    void aScheduledJobHeldUntilAnInstantRunsOnceThatInstantPasses() {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 6));
        Instant due = Instant.now().plusSeconds(4);
        String jobId = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + tenant + "\",\"execute_after\":\"" + due + "\"}")
                .then().statusCode(202).extract().jsonPath().getString("job_id");
        Instant until = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
        placeHold(TestTokens.adminService(), tenant, "{\"reason\":\"hold until the audit\",\"until\":\"" + until + "\"}")
                .then().statusCode(200).body("until", equalTo(until.toString()));
        // between a second after execute_after and the hold's end (sweeps every 500 ms): due, but held
        boolean seenHeld = false;
        while (Instant.now().isBefore(until.minusMillis(500))) {
            Instant asked = Instant.now();
            Response job = Api.job(TestTokens.service(), jobId);
            if (asked.isAfter(due.plusSeconds(1)) && Instant.now().isBefore(until)) {
                job.then().body("status", equalTo("scheduled")).body("blocked_by", equalTo("legal_hold"));
                seenHeld = true;
            }
            Api.await("a moment", Duration.ofSeconds(1), () -> Instant.now().isAfter(asked.plusMillis(100)));
        }
        assertTrue(seenHeld, "the job was never seen due and held");
        Response done = awaitFinal(TestTokens.service(), jobId, FINISH);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        for (String service : FakeServices.TABLES.keySet()) {
            assertFalse(fake.calls(service, "DELETE", tenant).get(0).at().isBefore(until), service + " called before the hold ended");
        }
        // an ended hold is no longer in force
        assertError("ended hold", 404, "legal_hold_not_found", as(TestTokens.service()).get(hold(tenant.toString())));
    }

    @Test
    void noHoldOverADeletionInProgress() {
        for (String status : List.of("pending", "running")) {
            UUID tenant = UUID.randomUUID();
            JobRows.jobIn(UUID.randomUUID(), tenant, status);
            assertError(status + " job", 409, "deletion_in_progress", placeHold(TestTokens.adminService(), tenant, "{\"reason\":\"too late\"}"));
            assertEquals(List.of(), audit(tenant));
        }
        for (String status : List.of("completed", "failed", "partially_failed", "cancelled", "scheduled")) {
            UUID tenant = UUID.randomUUID();
            JobRows.jobIn(UUID.randomUUID(), tenant, status);
            placeHold(TestTokens.adminService(), tenant, "{\"reason\":\"fine\"}").then().statusCode(200);
        }
    }

    @Test
    void badInputIsRefusedWithNothingStoredAndAnyReasonIsKeptExactly() {
        UUID tenant = UUID.randomUUID();
        String service = TestTokens.adminService();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("empty object", "{}");
        bad.put("reason null", "{\"reason\":null}");
        bad.put("reason empty", "{\"reason\":\"\"}");
        bad.put("reason blank", "{\"reason\":\" \\t \"}");
        bad.put("reason of 1,001 characters", "{\"reason\":\"" + "r".repeat(1001) + "\"}");
        bad.put("reason of 1,001 emoji", "{\"reason\":" + Api.jsonString("\uD83D\uDD12".repeat(1001)) + "}");
        bad.put("reason with NUL", "{\"reason\":\"a\\u0000b\"}");
        bad.put("reason with ESC", "{\"reason\":\"\\u001b[31m red\"}");
        bad.put("reason with DEL", "{\"reason\":\"a\\u007fb\"}");
        bad.put("reason with a C1 control", "{\"reason\":\"a\\u0085b\"}");
        bad.put("until without a zone", "{\"reason\":\"x\",\"until\":\"2030-01-01T00:00:00\"}");
        bad.put("until malformed", "{\"reason\":\"x\",\"until\":\"next year\"}");
        bad.put("until in the past", "{\"reason\":\"x\",\"until\":\"2020-01-01T00:00:00Z\"}");
        bad.put("unknown field", "{\"reason\":\"x\",\"scope\":\"all\"}");
        bad.put("broken JSON", "{\"reason\":");
        bad.put("JSON array", "[\"x\"]");
        bad.put("not JSON", "hold it");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Response response = placeHold(service, tenant, c.getValue());
            assertError(c.getKey(), 400, "invalid_request", response);
        }
        assertError("text/plain", 415, null, as(service).contentType("text/plain").body("{\"reason\":\"x\"}").put(hold(tenant.toString())));
        assertEquals(List.of(), audit(tenant), "a refused request stored a hold");

        // 1,000 emoji are 1,000 characters: accepted
        placeHold(service, tenant, "{\"reason\":" + Api.jsonString("\uD83D\uDD12".repeat(1000)) + "}").then().statusCode(200);
        List<String> reasons = List.of(
                "\uD83D\uDC69\u200D\u2696\uFE0F court order \uD83C\uDDE9\uD83C\uDDEA",
                "\u05E6\u05D5 \u05DE\u05E0\u05D9\u05E2\u05D4 \u0623\u0645\u0631 \u0627\u0644\u0645\u062D\u0643\u0645\u0629 \u202Bmixed\u202C",
                "lines\r\n\tand separators \u2028 end",
                "\uFEFFleading BOM and trailing spaces   ");
        for (String reason : reasons) {
            Response placed = placeHold(service, tenant, "{\"reason\":" + Api.jsonString(reason) + "}");
            placed.then().statusCode(200);
            assertEquals(reason, placed.jsonPath().getString("reason"));
            assertEquals(reason, as(TestTokens.user("owner", tenant)).get(hold(tenant.toString())).jsonPath().getString("reason"));
            List<Map<String, String>> record = audit(tenant);
            assertEquals(reason, record.get(record.size() - 1).get("reason"), "stored exactly");
        }
    }

    /** The tenant's holds as stored, oldest first. */
    private static List<Map<String, String>> audit(UUID tenant) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection db = TestDb.connect();
                PreparedStatement statement = db.prepareStatement("""
                        select reason, until::text, placed_by, placed_at::text, lifted_by, lifted_at::text, lifted_how
                          from legal_holds where tenant_id = ? order by placed_at, lifted_at nulls last""")) {
            statement.setObject(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (String column : List.of("reason", "until", "placed_by", "placed_at", "lifted_by", "lifted_at", "lifted_how")) {
                        row.put(column, rs.getString(column));
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
