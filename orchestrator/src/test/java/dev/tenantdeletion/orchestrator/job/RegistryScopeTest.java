package dev.tenantdeletion.orchestrator.job;

import static dev.tenantdeletion.orchestrator.support.Api.assertError;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static dev.tenantdeletion.orchestrator.support.Api.serviceStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.ServiceRunWrites;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job's scope is the registry when it runs. The application has three services registered; the jobs are written
 * into the store as an earlier deployment left them — created while only two were registered, or naming one that
 * is gone — and the application's own sweep claims them: every claim resolves the registry again. The store's two
 * parts of it, the claim's insert and the finish, are also driven directly, under another replica's lease.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class RegistryScopeTest {

    private static final List<String> REGISTRY = List.of("alert-processor", "external-service", "pos-service");
    /** What was registered when the jobs below were created: alert-processor came later. */
    private static final List<String> AT_CREATION = List.of("external-service", "pos-service");
    private static final Duration FINISH = Duration.ofSeconds(20);

    @Inject
    JobStore store;
    @Inject
    ServiceRunWrites writes;

    private final FakeServices fake = FakeServices.current();
    private final String service = TestTokens.service();

    @AfterEach
    void everyTokenWasAValidOrchestratorToken() {
        assertEquals(List.of(), fake.rejections(), "the fake services refused a token");
    }

    @Test
    void aPendingJobCreatedBeforeAServiceWasRegisteredCallsItToo() {
        UUID tenant = seededTenant();
        UUID job = UUID.randomUUID();
        insert(job, tenant, "pending", AT_CREATION, "pending");
        assertCoversTheWholeRegistry(job, tenant, awaitFinal(service, job.toString(), FINISH));
    }

    @Test
    void aScheduledJobComingDueCoversTheServicesRegisteredWhileItWaited() {
        UUID tenant = seededTenant();
        UUID job = UUID.randomUUID();
        insert(job, tenant, "scheduled", AT_CREATION, "pending");
        TestDb.execute("update deletion_jobs set execute_after = now() - interval '1 second' where id = '" + job + "'");
        assertCoversTheWholeRegistry(job, tenant, awaitFinal(service, job.toString(), FINISH));
    }

    @Test
    void aRetryCoversTheServicesRegisteredSinceTheJobFailed() {
        UUID tenant = seededTenant();
        UUID job = UUID.randomUUID();
        insert(job, tenant, "failed", AT_CREATION, "failed");
        Api.retry(service, job.toString()).then().statusCode(202);
        assertCoversTheWholeRegistry(job, tenant, awaitFinal(service, job.toString(), FINISH));
    }

    private void assertCoversTheWholeRegistry(UUID job, UUID tenant, Response done) {
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertEquals(3, done.jsonPath().getInt("services_total"), done.asString());
        assertEquals(3, done.jsonPath().getInt("services_completed"), done.asString());
        assertEquals(REGISTRY, done.jsonPath().getList("services.service"));
        assertFalse(fake.calls("alert-processor", "DELETE", tenant).isEmpty(), "the service registered since was called");
        assertEquals(1, done.jsonPath().getInt("services.find { it.service == 'alert-processor' }.attempts"), done.asString());
        // nothing left anywhere, as every service's own preview says
        Response preview = Api.preview(service, tenant.toString());
        preview.then().statusCode(200);
        assertEquals(0, preview.jsonPath().getLong("total_items"), preview.asString());
        assertEquals(List.of(), preview.jsonPath().getList("unavailable"));

        Response certificate = Api.certificate(service, job.toString());
        certificate.then().statusCode(200);
        assertEquals(REGISTRY, certificate.jsonPath().getList("claims.registry"), "the registry the job was verified against, sorted");
        assertEquals(3, certificate.jsonPath().getList("claims.services").size());
    }

    @Test
    void aServiceRunOfAServiceNoLongerRegisteredFailsUnregisteredAndTheJobIsNotCompleted() {
        UUID tenant = seededTenant();
        UUID job = UUID.randomUUID();
        insert(job, tenant, "pending", List.of("alert-processor", "external-service", "pos-service", "retired-service"), "pending");
        Response done = awaitFinal(service, job.toString(), FINISH);
        assertEquals("partially_failed", done.jsonPath().getString("status"), done.asString());
        assertEquals("failed", serviceStatus(done, "retired-service"));
        assertEquals("unregistered", done.jsonPath().getString("services.find { it.service == 'retired-service' }.error"));
        assertEquals(0, done.jsonPath().getInt("services.find { it.service == 'retired-service' }.calls"));
        REGISTRY.forEach(name -> assertEquals("completed", serviceStatus(done, name), name));
        assertError("certificate", 409, "job_not_certifiable", Api.certificate(service, job.toString()));
    }

    @Test
    void noCertificateWhileTheRegistryNamesAServiceTheJobNeverVerified() {
        UUID job = UUID.randomUUID();
        insert(job, UUID.randomUUID(), "completed", AT_CREATION, "completed");
        TestDb.execute("update deletion_jobs set verified = true, completed_at = now() where id = '" + job + "'");
        Response refused = Api.certificate(service, job.toString());
        assertError("certificate", 409, "job_not_certifiable", refused);
        String message = refused.jsonPath().getString("message");
        assertTrue(message.contains("alert-processor"), "the message names the service never verified: " + message);
        assertFalse(message.contains("pos-service"), message);

        // the same job having verified alert-processor too is certified, its registry as its finish recorded it
        TestDb.execute("insert into deletion_job_services (id, job_id, service, status, verified) values (gen_random_uuid(), '" + job
                + "', 'alert-processor', 'completed', true)");
        Response certified = Api.certificate(service, job.toString());
        certified.then().statusCode(200);
        assertEquals(REGISTRY, certified.jsonPath().getList("claims.registry"), "a job finished before the registry was recorded: its service runs");
        TestDb.execute("update deletion_jobs set registry = '{pos-service,alert-processor,external-service}' where id = '" + job + "'");
        assertEquals(REGISTRY, Api.certificate(service, job.toString()).jsonPath().getList("claims.registry"), "sorted");
    }

    /** finish itself: a job whose service runs all completed is not completed while the registry names one it lacks. */
    @Test
    void finishDoesNotCompleteAJobMissingARegisteredService() {
        UUID job = UUID.randomUUID();
        insert(job, UUID.randomUUID(), "running", "elsewhere#1", AT_CREATION, "completed");
        assertEquals(Optional.of(JobStatus.PARTIALLY_FAILED), store.finish(job, "elsewhere#1", REGISTRY).await().atMost(FINISH));
        assertEquals("false", JobRows.column(job, "verified"));
        assertEquals("{alert-processor,external-service,pos-service}", JobRows.column(job, "registry"));

        UUID whole = UUID.randomUUID();
        insert(whole, UUID.randomUUID(), "running", "elsewhere#2", AT_CREATION, "completed");
        assertEquals(Optional.of(JobStatus.COMPLETED), store.finish(whole, "elsewhere#2", AT_CREATION).await().atMost(FINISH));
        assertEquals("true", JobRows.column(whole, "verified"));
    }

    /** The claim's insert: only under the claim's lease, and a second one adds nothing. */
    @Test
    void theServicesRegisteredSinceAreAddedOnceAndOnlyUnderTheLease() {
        UUID job = UUID.randomUUID();
        insert(job, UUID.randomUUID(), "running", "elsewhere#3", AT_CREATION, "pending");
        assertEquals(Optional.empty(), writes.addRegistered(job, "elsewhere#4", REGISTRY).await().atMost(FINISH), "another lease");
        assertEquals(2L, runs(job));
        assertEquals(Optional.of(List.of("alert-processor")), writes.addRegistered(job, "elsewhere#3", REGISTRY).await().atMost(FINISH));
        assertEquals(Optional.of(List.of()), writes.addRegistered(job, "elsewhere#3", REGISTRY).await().atMost(FINISH));
        assertEquals(3L, runs(job));
        assertEquals("pending", JobRows.column(job,
                "(select status from deletion_job_services s where s.job_id = deletion_jobs.id and s.service = 'alert-processor')"));
    }

    private static long runs(UUID job) {
        return Long.parseLong(JobRows.column(job, "(select count(*) from deletion_job_services s where s.job_id = deletion_jobs.id)"));
    }

    private UUID seededTenant() {
        UUID tenant = UUID.randomUUID();
        REGISTRY.forEach(name -> fake.seed(name, tenant, 10));
        return tenant;
    }

    /** A job and one service run per named service, in one transaction (the sweep is watching). */
    private static void insert(UUID job, UUID tenant, String status, List<String> services, String serviceStatus) {
        insert(job, tenant, status, null, services, serviceStatus);
    }

    /** The same, under another replica's live lease ({@code leaseOwner}), so the sweep leaves it alone. */
    private static void insert(UUID job, UUID tenant, String status, String leaseOwner, List<String> services, String serviceStatus) {
        try (Connection db = TestDb.connect()) {
            db.setAutoCommit(false);
            JobRows.job(db, job, tenant, status, leaseOwner, 3600);
            if ("scheduled".equals(status)) {
                TestDb.update(db, "update deletion_jobs set execute_after = now() + interval '1 day' where id = ?", job);
            }
            for (String name : services) {
                boolean completed = "completed".equals(serviceStatus);
                JobRows.service(db, job, name, serviceStatus, completed ? 1 : 0, "{}", 0, completed);
            }
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
