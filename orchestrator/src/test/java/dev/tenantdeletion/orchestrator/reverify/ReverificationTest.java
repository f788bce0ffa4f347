package dev.tenantdeletion.orchestrator.reverify;

import static dev.tenantdeletion.orchestrator.reverify.Reverifications.admin;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.erased;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.findings;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.jobsOf;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.metric;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.progress;
import static dev.tenantdeletion.orchestrator.reverify.Reverifications.sweep;
import static dev.tenantdeletion.orchestrator.support.Api.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Re-verification of erased tenants against the fake services (their deletion check answers from the rows they hold):
 * the sweep's findings and follow-up jobs, a cancelled follow-up, a legal hold, a second replica taking over an expired
 * sweep from its stored cursor, a service never swept, the endpoint's answer and who may call it, the metrics. Pages of
 * two tenants, so every sweep reads several pages.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
@TestProfile(ReverificationTest.Profile.class)
class ReverificationTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.reverify.interval", "P1D", "deletion.reverify.grace-period", "PT1H", "deletion.reverify.batch-size", "2",
                    "deletion.reverify.poll", "300ms");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final List<String> REGISTRY = List.of("alert-processor", "external-service", "pos-service");

    private final FakeServices fake = FakeServices.current();
    private final String service = TestTokens.service();

    @AfterEach
    void everyTokenWasAValidOrchestratorToken() {
        assertEquals(List.of(), fake.rejections(), "the fake services refused a token");
    }

    @Test
    void rowsThatCameBackGetAFollowUpJobScheduledAfterTheGracePeriod() {
        UUID tenant = UUID.randomUUID();
        UUID erasedBy = erased(tenant);
        UUID clean = UUID.randomUUID();
        erased(clean);
        Map<String, Long> pos = fake.seed("pos-service", tenant, 5);
        fake.seed("external-service", tenant, 1);
        double before = metric("deletion_reverification_reappeared_rows_total", "service=\"pos-service\"");

        Response swept = sweep(admin());
        swept.then().statusCode(200);
        assertEquals(REGISTRY, swept.jsonPath().getList("services"));
        assertEquals(List.of(), swept.jsonPath().getList("failed_services"));
        assertTrue(swept.jsonPath().getLong("checked_tenants") >= 2, swept.asString());
        long posRows = pos.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(posRows, swept.jsonPath().getLong("reappeared.find { it.tenant_id == '" + tenant + "' && it.service == 'pos-service' }.rows"),
                swept.asString());
        assertEquals(6L, swept.jsonPath().getLong("reappeared.find { it.tenant_id == '" + tenant + "' && it.service == 'external-service' }.rows"));
        assertNull(swept.jsonPath().get("reappeared.find { it.tenant_id == '" + clean + "' }"), "a clean erased tenant is not reported");
        List<Map<String, String>> jobs = jobsOf(tenant);
        assertEquals(2, jobs.size(), jobs.toString());
        String followUp = jobs.get(0).get("id");
        assertTrue(swept.jsonPath().getList("follow_up_jobs").contains(followUp), swept.asString());
        assertEquals(followUp, swept.jsonPath().getString("reappeared.find { it.service == 'pos-service' && it.tenant_id == '" + tenant
                + "' }.follow_up_job_id"));
        assertEquals(1, jobsOf(clean).size(), "the clean tenant got no job");

        Response job = Api.job(service, followUp);
        job.then().statusCode(200);
        assertEquals("scheduled", job.jsonPath().getString("status"));
        assertEquals("reverification", job.jsonPath().getString("requested_by"));
        assertEquals(erasedBy.toString(), job.jsonPath().getString("follows_job_id"));
        assertEquals(3, job.jsonPath().getInt("services_total"));
        String reason = job.jsonPath().getString("reason");
        assertTrue(reason.contains(erasedBy.toString()) && reason.contains("pos-service " + posRows) && reason.contains("external-service 6")
                && reason.contains("pos_transactions 5"), reason);
        Duration grace = Duration.between(Instant.now(), Instant.parse(job.jsonPath().getString("execute_after")));
        assertTrue(grace.compareTo(Duration.ofMinutes(58)) > 0 && grace.compareTo(Duration.ofMinutes(61)) < 0, "execute_after in 1 h: " + grace);
        assertNull(Api.job(service, erasedBy.toString()).jsonPath().get("follows_job_id"), "null unless set, on every job");

        // the results are in the job store
        assertEquals(2, findings("tenant_id = '" + tenant + "' and follow_up_job_id = '" + followUp + "' and erased_by_job_id = '" + erasedBy + "'"));
        // and in the metrics: rows found, the last success (every replica reads it from the store), tenants checked
        assertEquals(posRows, metric("deletion_reverification_reappeared_rows_total", "service=\"pos-service\"") - before, 0.001);
        Api.await("the gauges refreshed", WITHIN, () -> metric("deletion_reverification_last_success_timestamp_seconds", "")
                > Instant.now().getEpochSecond() - 60 && metric("deletion_reverification_tenants", "") >= 2);
        assertEquals(86400, metric("deletion_reverification_interval_seconds", ""), 0.001);

        // the tenant has an active job now: not erased, not flagged again (no second follow-up)
        Response again = sweep(admin());
        again.then().statusCode(200);
        assertNull(again.jsonPath().get("reappeared.find { it.tenant_id == '" + tenant + "' }"), again.asString());
        assertEquals(2, jobsOf(tenant).size());

        // cancelled (the data is legitimate): the most recent job is cancelled, the tenant is no longer erased
        Api.cancel(service, followUp).then().statusCode(200);
        Response afterCancel = sweep(admin());
        afterCancel.then().statusCode(200);
        assertNull(afterCancel.jsonPath().get("reappeared.find { it.tenant_id == '" + tenant + "' }"), afterCancel.asString());
        assertEquals(2, jobsOf(tenant).size(), "no job after the cancelled follow-up");
    }

    @Test
    void aLegalHoldKeepsTheFollowUpJobScheduledUntilItIsLifted() {
        UUID tenant = UUID.randomUUID();
        UUID erasedBy = erased(tenant);
        Api.placeHold(TestTokens.adminService("legal-service"), tenant, "{\"reason\":\"litigation hold\",\"until\":null}").then().statusCode(200);
        fake.seed("alert-processor", tenant, 3);

        Response swept = sweep(admin());
        swept.then().statusCode(200);
        String followUp = swept.jsonPath().getString("reappeared.find { it.tenant_id == '" + tenant + "' }.follow_up_job_id");
        assertNotNull(followUp, swept.asString());
        TestDb.execute("update deletion_jobs set execute_after = now() - interval '1 second' where id = '" + followUp + "'");
        // due, but on hold: the job runner's sweeps (every 500 ms) leave it scheduled
        sleep(1500);
        Response held = Api.job(service, followUp);
        assertEquals("scheduled", held.jsonPath().getString("status"), held.asString());
        assertEquals("legal_hold", held.jsonPath().getString("blocked_by"));
        assertTrue(fake.calls("alert-processor", "DELETE", tenant).isEmpty(), "nothing deleted under the hold");

        Api.as(TestTokens.adminService("legal-service")).delete(Api.hold(tenant.toString())).then().statusCode(204);
        Response done = Api.awaitFinal(service, followUp, WITHIN);
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertEquals(erasedBy.toString(), done.jsonPath().getString("follows_job_id"));
        Api.certificate(service, followUp).then().statusCode(200);
    }

    /**
     * A replica died mid-sweep: its lease row and pos-service's pass (cursor at tenant {@code first}) are left in the store.
     * While the lease holds nobody sweeps (POST answers 409); once it expired this application's own poll takes the sweep
     * over and continues pos-service's pass after the cursor — {@code second} is checked, {@code first} is not again.
     */
    @Test
    void aSecondReplicaTakesOverAnExpiredSweepAndContinuesFromTheStoredCursor() {
        List<UUID> tenants = new ArrayList<>(List.of(UUID.randomUUID(), UUID.randomUUID()));
        tenants.sort(Reverifications::compare);
        UUID first = tenants.get(0);
        UUID second = tenants.get(1);
        erased(first);
        erased(second);
        fake.seed("pos-service", first, 2);
        fake.seed("pos-service", second, 2);
        int checksBefore = fake.deletionChecks("pos-service").size();
        int externalBefore = fake.deletionChecks("external-service").size();

        TestDb.execute("update reverification_lease set lease_owner = 'dead-replica/0000#sweep-1', lease_expires_at = now() + interval '2 seconds'",
                "update reverification_progress set pass_started_at = now() - interval '1 minute', cursor_tenant_id = '" + first
                        + "', pass_tenants = 7 where service = 'pos-service'");
        assertError("a sweep under another replica's lease", 409, "reverification_in_progress", sweep(admin()));

        Api.await("the pass taken over and completed", WITHIN, () -> progress("pos-service", "pass_started_at") == null);
        List<UUID> asked = fake.deletionChecks("pos-service").subList(checksBefore, fake.deletionChecks("pos-service").size());
        assertTrue(asked.contains(second), "the tenant after the cursor was checked: " + asked);
        assertFalse(asked.contains(first), "the tenant at the cursor was not checked again: " + asked);
        assertEquals(externalBefore, fake.deletionChecks("external-service").size(), "a service that was not due is not swept");
        assertTrue(Long.parseLong(progress("pos-service", "last_pass_tenants")) >= 8, "the count of the pass continues from the store's");
        assertTrue(Double.parseDouble(progress("pos-service", "extract(epoch from now() - last_completed_at)")) < 30);
        assertEquals(1, jobsOf(first).size(), "the tenant before the cursor is the dead replica's part");
        assertEquals("reverification", jobsOf(second).get(0).get("requested_by"));
        Api.await("the lease released", WITHIN, () -> "null".equals(leaseOwner()));
    }

    @Test
    void aServiceNeverSweptIsSweptAtOnce() {
        UUID tenant = UUID.randomUUID();
        erased(tenant);
        fake.seed("alert-processor", tenant, 4);
        int posBefore = fake.deletionChecks("pos-service").size();
        // as a service registered since the last sweep: no progress at all
        TestDb.execute("delete from reverification_progress where service = 'alert-processor'");
        Api.await("alert-processor swept", WITHIN, () -> progress("alert-processor", "last_completed_at") != null);
        assertTrue(fake.deletionChecks("alert-processor").contains(tenant));
        assertEquals(posBefore, fake.deletionChecks("pos-service").size(), "the services swept within the interval are left alone");
        assertEquals("reverification", jobsOf(tenant).get(0).get("requested_by"));
    }

    @Test
    void aServiceWhoseCheckFailsKeepsItsPassForTheNextSweep() {
        UUID tenant = UUID.randomUUID();
        erased(tenant);
        fake.deletionCheckFails("external-service", true);
        try {
            Response swept = sweep(admin());
            swept.then().statusCode(200);
            assertEquals(List.of("external-service"), swept.jsonPath().getList("failed_services"));
            assertEquals(List.of("alert-processor", "pos-service"), swept.jsonPath().getList("services"));
            assertNotNull(progress("external-service", "pass_started_at"), "its pass stays under way");
        } finally {
            fake.deletionCheckFails("external-service", false);
        }
        Api.await("the next sweep completes the pass", WITHIN, () -> progress("external-service", "pass_started_at") == null);
        assertTrue(fake.deletionChecks("external-service").contains(tenant));
    }

    /**
     * A job completed before alert-processor was registered has no certificate while the registry names it (409); once a
     * sweep has found the tenant empty there, it has one. Rows found there instead keep refusing it (the follow-up job
     * covers them).
     */
    @Test
    void aServiceRegisteredSinceTheJobNoLongerRefusesTheCertificateOnceReverificationFoundItEmpty() throws Exception {
        UUID clean = UUID.randomUUID();
        UUID cleanJob = completedBeforeAlertProcessor(clean);
        UUID dirty = UUID.randomUUID();
        UUID dirtyJob = completedBeforeAlertProcessor(dirty);
        fake.seed("alert-processor", dirty, 1);
        // no pass of alert-processor since the jobs completed (the earlier tests' passes are made older than them)
        TestDb.execute("update reverification_progress set last_pass_started_at = now() - interval '1 day'");
        assertError("before the sweep", 409, "job_not_certifiable", Api.certificate(service, cleanJob.toString()));

        sweep(admin()).then().statusCode(200);
        Response certified = Api.certificate(service, cleanJob.toString());
        certified.then().statusCode(200);
        assertEquals(List.of("external-service", "pos-service"), certified.jsonPath().getList("claims.registry"),
                "the registry the job was verified against");
        assertError("rows found there", 409, "job_not_certifiable", Api.certificate(service, dirtyJob.toString()));
    }

    /** A completed, verified job of external-service and pos-service only, finished two minutes ago. */
    private static UUID completedBeforeAlertProcessor(UUID tenant) throws java.sql.SQLException {
        UUID job = UUID.randomUUID();
        try (var db = TestDb.connect()) {
            db.setAutoCommit(false);
            dev.tenantdeletion.orchestrator.support.JobRows.job(db, job, tenant, "completed", null, 0);
            TestDb.update(db, "update deletion_jobs set verified = true, completed_at = now() - interval '2 minutes',"
                    + " registry = '{external-service,pos-service}' where id = ?", job);
            for (String name : List.of("external-service", "pos-service")) {
                dev.tenantdeletion.orchestrator.support.JobRows.service(db, job, name, "completed", 1, "{}", 0, true);
            }
            db.commit();
        }
        return job;
    }

    @Test
    void onlyServiceTokensWithTheAdminScopeMayRunASweep() {
        assertEquals(401, sweep(null).statusCode());
        assertError("no scope", 403, "forbidden", sweep(TestTokens.service()));
        assertError("another scope", 403, "forbidden", sweep(TestTokens.serviceWithScope("deletion:read")));
        assertError("a scope that only contains the word", 403, "forbidden", sweep(TestTokens.serviceWithScope("deletion:administrator")));
        Map<String, Object> owner = TestTokens.claims("someone", "user", "owner", UUID.randomUUID());
        owner.put("scope", "deletion:admin");
        assertError("a user", 403, "forbidden", sweep(TestTokens.rs256(owner)));
        sweep(TestTokens.serviceWithScope("openid deletion:admin")).then().statusCode(200);
    }

    @Test
    void theOpenApiDescribesTheEndpointAndTheNewField() {
        io.restassured.path.json.JsonPath openapi = io.restassured.RestAssured.given().queryParam("format", "json").get("/q/openapi").jsonPath();
        Map<String, Object> responses = openapi.getMap("paths.'/api/v1/reverifications'.post.responses");
        assertTrue(responses.keySet().containsAll(List.of("200", "401", "403", "409", "503")), responses.keySet().toString());
        assertTrue(openapi.getMap("components.schemas.JobView.properties").containsKey("follows_job_id"));
        assertTrue(openapi.getMap("components.schemas.ReverificationView.properties").containsKey("follow_up_jobs"));
    }

    private static String leaseOwner() {
        try (var db = TestDb.connect(); var rs = db.createStatement().executeQuery("select lease_owner from reverification_lease")) {
            rs.next();
            return String.valueOf(rs.getString(1));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
