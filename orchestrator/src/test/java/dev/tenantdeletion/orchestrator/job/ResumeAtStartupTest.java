package dev.tenantdeletion.orchestrator.job;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static dev.tenantdeletion.orchestrator.support.Api.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Jobs left in the database by a replica that died: found at start-up and resumed. A job still under
 * another live replica's lease is left alone.
 */
@QuarkusTest
@WithTestResource(value = OrchestratorTestResource.class,
        initArgs = @ResourceArg(name = "before-start", value = "dev.tenantdeletion.orchestrator.job.ResumeAtStartupTest$LeftBehind"))
class ResumeAtStartupTest {

    static final UUID RUNNING_JOB = UUID.fromString("11111111-1111-4111-8111-111111111111");
    static final UUID RUNNING_TENANT = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    static final UUID PENDING_JOB = UUID.fromString("22222222-2222-4222-8222-222222222222");
    static final UUID PENDING_TENANT = UUID.fromString("aaaaaaaa-2222-4222-8222-222222222222");
    static final UUID LEASED_JOB = UUID.fromString("33333333-3333-4333-8333-333333333333");
    static final UUID LEASED_TENANT = UUID.fromString("aaaaaaaa-3333-4333-8333-333333333333");
    static final String POS_BEFORE_CRASH = "{\"pos_transactions\": 40, \"pos_sessions\": 3, \"pos_devices\": 2, \"pos_configurations\": 1}";

    /** Runs before the application starts: a crashed replica's running job, a pending one, a live replica's. */
    public static class LeftBehind implements Consumer<String> {
        @Override
        public void accept(String database) {
            FakeServices fake = FakeServices.current();
            for (String service : FakeServices.TABLES.keySet()) {
                for (UUID tenant : new UUID[] {RUNNING_TENANT, PENDING_TENANT, LEASED_TENANT}) {
                    fake.seed(service, tenant, 20);
                }
            }
            // external-service's DELETE in flight at the crash had deleted 15 rows under the job's key; its answer was lost
            fake.deletedBefore("external-service", RUNNING_TENANT, RUNNING_JOB + ":external-service", 15);
            try (Connection db = TestDb.connect()) {
                // pos-service had completed before the crash; external-service was mid-call; alert-processor not begun
                JobRows.job(db, RUNNING_JOB, RUNNING_TENANT, "running", "crashed-replica", -60);
                JobRows.service(db, RUNNING_JOB, "pos-service", "completed", 1, POS_BEFORE_CRASH, 46, true);
                JobRows.service(db, RUNNING_JOB, "external-service", "running", 1, "{}", 0, false);
                JobRows.service(db, RUNNING_JOB, "alert-processor", "pending", 0, "{}", 0, false);
                JobRows.job(db, PENDING_JOB, PENDING_TENANT, "pending", null, 0);
                JobRows.job(db, LEASED_JOB, LEASED_TENANT, "running", "live-replica", 3600);
                for (String service : FakeServices.TABLES.keySet()) {
                    JobRows.service(db, PENDING_JOB, service, "pending", 0, "{}", 0, false);
                    JobRows.service(db, LEASED_JOB, service, "running", 1, "{}", 0, false);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void jobsLeftPendingOrRunningAreResumedAtStartUp() {
        FakeServices fake = FakeServices.current();
        Response running = awaitFinal(TestTokens.service(), RUNNING_JOB.toString(), Duration.ofSeconds(20));
        assertEquals("completed", running.jsonPath().getString("status"), running.asString());
        assertEquals(true, running.jsonPath().getBoolean("verified"));
        assertEquals(0, fake.calls("pos-service", "DELETE", RUNNING_TENANT).size(), "a service completed before the crash is not called again");
        assertEquals(1, fake.calls("external-service", "DELETE", RUNNING_TENANT).size());
        assertEquals(1, fake.calls("alert-processor", "DELETE", RUNNING_TENANT).size());
        String external = "services.find { it.service == 'external-service' }";
        assertEquals(2, running.jsonPath().getInt(external + ".attempts"), "the attempt in flight at the crash counts");
        assertEquals(Map.of("pos_transactions", 40L, "pos_sessions", 3L, "pos_devices", 2L, "pos_configurations", 1L),
                longs(running, "services.find { it.service == 'pos-service' }.deleted_counts"));
        // exact, the 15 rows whose answer the crash lost included: the receipt answers the totals under the key
        Map<String, Long> external20 = fake.seed("external-service", UUID.randomUUID(), 20);
        Map<String, Long> alerts20 = fake.seed("alert-processor", UUID.randomUUID(), 20);
        assertEquals(external20, longs(running, external + ".deleted_counts"));
        assertEquals(TestDb.total(external20), running.jsonPath().getLong(external + ".total_deleted"));
        assertEquals(alerts20, longs(running, "services.find { it.service == 'alert-processor' }.deleted_counts"));
        assertEquals(46 + TestDb.total(external20) + TestDb.total(alerts20), running.jsonPath().getLong("total_items_deleted"));
        for (FakeServices.Call call : fake.calls("external-service", "DELETE", RUNNING_TENANT)) {
            assertEquals(RUNNING_JOB + ":external-service", call.idempotencyKey(), "the resumed run sends the job's key");
        }
        // items expected: only where no DELETE had been sent (alert-processor); not after the crash's partial work
        org.junit.jupiter.api.Assertions.assertNull(running.jsonPath().get(external + ".items_expected"));
        org.junit.jupiter.api.Assertions.assertNull(running.jsonPath().get("services.find { it.service == 'pos-service' }.items_expected"));
        assertEquals(TestDb.total(alerts20), running.jsonPath().getLong("services.find { it.service == 'alert-processor' }.items_expected"));
        assertEquals(TestDb.total(alerts20), running.jsonPath().getLong("items_expected"));

        Response pending = awaitFinal(TestTokens.service(), PENDING_JOB.toString(), Duration.ofSeconds(20));
        assertEquals("completed", pending.jsonPath().getString("status"), pending.asString());

        assertEquals("running", JobRows.status(LEASED_JOB), "a live replica's job is not taken over");
        for (String service : FakeServices.TABLES.keySet()) {
            assertTrue(fake.calls(service, "DELETE", LEASED_TENANT).isEmpty(), service + " was called for a job another replica holds");
        }
        assertEquals(java.util.List.of(), fake.rejections());
    }
}
