package dev.tenantdeletion.orchestrator.job.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.job.store.JobStatus;
import dev.tenantdeletion.orchestrator.job.store.JobStatus.Transition;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.JobStore.ChangeOutcome;
import dev.tenantdeletion.orchestrator.job.store.JobStore.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore.NewJob;
import dev.tenantdeletion.orchestrator.job.store.JobStore.RetryOutcome;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transition table of {@link JobStatus} against the real store: a trigger records every status the database
 * writes to deletion_jobs while the test drives jobs through every path (new, grace period, due, legal hold,
 * cancel, execute-now, claim, lease expiry, release at shutdown, finish three ways, retry). Every recorded
 * (from, to) must be in the table, and every row of the table must have been seen — so a status change added
 * to the store without the table, or a row of the table the store never makes, fails here.
 */
@QuarkusTest
@TestProfile(ClaimingTest.NoSweeper.class)
@WithTestResource(OrchestratorTestResource.class)
class JobLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> SERVICES = List.copyOf(new TreeSet<>(FakeServices.TABLES.keySet()));

    @Inject
    JobStore store;
    @Inject
    JobWorker worker;
    @Inject
    OrchestratorSettings settings;

    private final FakeServices fake = FakeServices.current();

    @BeforeEach
    void observeStatusChanges() {
        TestDb.execute("""
                create table lifecycle_observed (job_id uuid not null, from_status varchar(20), to_status varchar(20) not null)""",
                """
                create function lifecycle_observe() returns trigger language plpgsql as $$
                begin
                    insert into lifecycle_observed
                    values (new.id, case when tg_op = 'INSERT' then null else old.status end, new.status);
                    return new;
                end $$""",
                """
                create trigger lifecycle_observe after insert or update of status on deletion_jobs
                for each row execute function lifecycle_observe()""");
    }

    @AfterEach
    void stopObserving() {
        TestDb.execute("drop trigger lifecycle_observe on deletion_jobs", "drop function lifecycle_observe()",
                "drop table lifecycle_observed");
    }

    @Test
    void everyStatusChangeTheStoreMakesIsInTheTableAndEveryRowOfTheTableIsMade() {
        Replica replica = replica("lifecycle-a");
        Replica successor = replica("lifecycle-b");

        // new → pending → running (claim) → completed
        UUID done = runToEnd(replica, create(tenant(), null));
        assertEquals(JobStatus.COMPLETED, status(done));
        assertEquals(RetryOutcome.NOT_RETRYABLE, store.resetForRetry(done).await().atMost(WAIT));

        // new → scheduled → cancelled; a pending job is neither cancelled nor executed now
        UUID cancelled = create(tenant(), Duration.ofHours(1));
        assertEquals(JobStatus.SCHEDULED, status(cancelled));
        assertEquals(ChangeOutcome.DONE, store.cancel(cancelled, "test").await().atMost(WAIT));
        assertEquals(ChangeOutcome.NOT_SCHEDULED, store.cancel(cancelled, "test").await().atMost(WAIT));
        assertEquals(ChangeOutcome.NOT_SCHEDULED, store.expedite(cancelled, "test", "now").await().atMost(WAIT));

        // scheduled → pending by execute-now; under a legal hold it is refused and the job stays scheduled
        UUID heldTenant = tenant();
        UUID held = create(heldTenant, Duration.ofHours(1));
        placeHold(heldTenant);
        assertEquals(ChangeOutcome.LEGAL_HOLD, store.expedite(held, "test", "now").await().atMost(WAIT));
        TestDb.execute("update deletion_jobs set execute_after = now() - interval '1 second' where id = '" + held + "'");
        assertTrue(!store.promoteDue(100).await().atMost(WAIT).contains(held), "a due job under a legal hold was promoted");
        assertEquals(JobStatus.SCHEDULED, status(held));
        liftHold(heldTenant);
        assertTrue(store.promoteDue(100).await().atMost(WAIT).contains(held), "the due job once the hold was lifted");
        assertEquals(JobStatus.PENDING, status(held));
        runToEnd(replica, held);

        UUID hurried = create(tenant(), Duration.ofHours(1));
        assertEquals(ChangeOutcome.DONE, store.expedite(hurried, "test", "now").await().atMost(WAIT));
        assertEquals(JobStatus.PENDING, status(hurried));
        assertEquals(ChangeOutcome.NOT_SCHEDULED, store.expedite(hurried, "test", "again").await().atMost(WAIT));
        assertEquals(ChangeOutcome.NOT_SCHEDULED, store.cancel(hurried, "test").await().atMost(WAIT));

        // running → running: a lease that expired, then one released at shutdown, is claimed again (a lease's expiry
        // is the database's now(), so the test moves the expiry, not a clock)
        Claim first = claim(replica, hurried);
        TestDb.execute("update deletion_jobs set lease_expires_at = now() - interval '1 second' where id = '" + hurried + "'");
        Claim second = claim(successor, hurried);
        assertEquals(1, store.release(List.of(second.leaseOwner())).await().atMost(WAIT));
        Claim third = claim(replica, hurried);
        assertTrue(!first.leaseOwner().equals(third.leaseOwner()), "each claim is its own lease");
        assertEquals(JobStatus.COMPLETED, replica.process(third).await().atMost(WAIT));

        // running → partially_failed (one service refuses), failed → pending refused under a hold, retried → completed
        UUID partTenant = tenant();
        fake.behaviour(SERVICES.get(0), partTenant).clientError(400);
        UUID partial = runToEnd(replica, create(partTenant, null));
        assertEquals(JobStatus.PARTIALLY_FAILED, status(partial));
        placeHold(partTenant);
        assertEquals(RetryOutcome.LEGAL_HOLD, store.resetForRetry(partial).await().atMost(WAIT));
        liftHold(partTenant);
        fake.behaviour(SERVICES.get(0), partTenant).recover();
        assertEquals(RetryOutcome.RESET, store.resetForRetry(partial).await().atMost(WAIT));
        assertEquals(JobStatus.PENDING, status(partial));
        runToEnd(replica, partial);
        assertEquals(JobStatus.COMPLETED, status(partial));

        // running → failed (every service refuses), retried
        UUID failTenant = tenant();
        SERVICES.forEach(service -> fake.behaviour(service, failTenant).clientError(400));
        UUID failed = runToEnd(replica, create(failTenant, null));
        assertEquals(JobStatus.FAILED, status(failed));
        SERVICES.forEach(service -> fake.behaviour(service, failTenant).recover());
        assertEquals(RetryOutcome.RESET, store.resetForRetry(failed).await().atMost(WAIT));
        runToEnd(replica, failed);

        // new → pending at once when the asked-for instant has passed
        UUID past = store.createOrFindActive(new NewJob(tenant(), "Past", "test", "test", java.time.Instant.now().minusSeconds(60), null),
                SERVICES).await().atMost(WAIT).jobId();
        assertEquals(JobStatus.PENDING, status(past));
        runToEnd(replica, past);

        Set<String> table = new TreeSet<>();
        JobStatus.INITIAL.forEach(s -> table.add(pair(null, s)));
        for (Transition transition : Transition.values()) {
            transition.from().forEach(from -> table.add(pair(from, transition.to())));
        }
        Set<String> seen = new TreeSet<>();
        for (String[] change : observed()) {
            String pair = pair(change[0] == null ? null : JobStatus.of(change[0]), JobStatus.of(change[1]));
            assertTrue(table.contains(pair), "the store moved a job " + pair + ", which the transition table does not have");
            seen.add(pair);
        }
        assertEquals(table, seen, "every row of the transition table is made by the store (and nothing else)");
    }

    private static String pair(JobStatus from, JobStatus to) {
        return (from == null ? "(new)" : from.value()) + " -> " + to.value();
    }

    /** Another replica on this database, processing with the application's worker. */
    private Replica replica(String replicaId) {
        return new Replica(replicaId, store, worker, settings.jobs().lease());
    }

    private static UUID tenant() {
        return UUID.randomUUID();
    }

    private UUID create(UUID tenant, Duration grace) {
        SERVICES.forEach(service -> fake.seed(service, tenant, 3));
        JobStore.Created created = store.createOrFindActive(new NewJob(tenant, "Lifecycle", "test", "test", null, grace), SERVICES)
                .await().atMost(WAIT);
        assertTrue(created.created(), "a new job for a new tenant");
        return created.jobId();
    }

    private static Claim claim(Replica worker, UUID job) {
        return worker.claim(job).await().atMost(WAIT).orElseThrow(() -> new AssertionError("job " + job + " could not be claimed"));
    }

    private static UUID runToEnd(Replica worker, UUID job) {
        JobStatus status = worker.process(claim(worker, job)).await().atMost(WAIT);
        assertTrue(status.isFinal(), "a run ends in a final status, not " + status);
        return job;
    }

    private static JobStatus status(UUID job) {
        return JobStatus.of(JobRows.status(job));
    }

    private static void placeHold(UUID tenant) {
        TestDb.execute("insert into legal_holds (id, tenant_id, reason, placed_by) values (gen_random_uuid(), '" + tenant
                + "', 'lifecycle test', 'test')");
    }

    private static void liftHold(UUID tenant) {
        TestDb.execute("update legal_holds set lifted_at = now(), lifted_by = 'test', lifted_how = 'lifted' where tenant_id = '"
                + tenant + "' and lifted_at is null");
    }

    private static List<String[]> observed() {
        List<String[]> changes = new ArrayList<>();
        try (Connection db = TestDb.connect(); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("select from_status, to_status from lifecycle_observed")) {
            while (rows.next()) {
                changes.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }
}
