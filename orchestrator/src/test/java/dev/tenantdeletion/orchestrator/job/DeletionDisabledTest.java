package dev.tenantdeletion.orchestrator.job;

import static dev.tenantdeletion.orchestrator.support.Api.JOBS;
import static dev.tenantdeletion.orchestrator.support.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.DeletionDisabledProfile;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DELETION_ENABLED=false: no new job, no retry, nothing resumed; reading and previews still work. */
@QuarkusTest
@TestProfile(DeletionDisabledProfile.class)
@WithTestResource(OrchestratorTestResource.class)
class DeletionDisabledTest {

    private final FakeServices fake = FakeServices.current();

    @Test
    void newJobsAndRetriesAre503AndNothingCallsADelete() throws Exception {
        UUID tenant = UUID.randomUUID();
        long seeded = 0;
        for (String service : FakeServices.TABLES.keySet()) {
            seeded += TestDb.total(fake.seed(service, tenant, 5));
        }
        Api.submit(TestTokens.service(), tenant).then().statusCode(503)
                .body("error", equalTo("deletion_disabled")).body("message", notNullValue());
        Api.submit(TestTokens.user("owner", tenant), tenant).then().statusCode(503).body("error", equalTo("deletion_disabled"));
        // the flag does not change who may call
        Api.submit(TestTokens.user("member", tenant), tenant).then().statusCode(403);
        Api.submit(null, tenant).then().statusCode(401);

        UUID failedJob = UUID.randomUUID();
        UUID pendingJob = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        try (Connection db = TestDb.connect()) {
            JobRows.job(db, failedJob, tenant, "failed", null, 0);
            JobRows.service(db, failedJob, "pos-service", "failed", 3, "{}", 0, false);
        }
        JobRows.pendingJob(pendingJob, otherTenant);
        Api.retry(TestTokens.service(), failedJob.toString()).then().statusCode(503).body("error", equalTo("deletion_disabled"));

        Api.preview(TestTokens.service(), tenant.toString()).then().statusCode(200).body("total_items", equalTo((int) seeded));
        as(TestTokens.service()).queryParam("tenant_id", tenant.toString()).get(JOBS).then().statusCode(200).body("total", equalTo(1));
        Thread.sleep(1500); // three sweeps
        assertEquals("pending", JobRows.status(pendingJob), "a pending job is not started while deletion is disabled");
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(0, fake.calls(service, "DELETE", tenant).size());
            assertEquals(0, fake.calls(service, "DELETE", otherTenant).size());
        }
    }
}
