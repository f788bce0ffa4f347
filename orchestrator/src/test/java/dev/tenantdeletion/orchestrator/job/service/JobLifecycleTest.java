package dev.tenantdeletion.orchestrator.job.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.store.NewJob;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.JobStatus.Transition;
import dev.tenantdeletion.orchestrator.model.Outcome;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transition tables of {@link JobStatus} and {@link ServiceStatus} against the real store: a trigger records
 * every status the database writes to deletion_jobs and deletion_job_services while the test drives jobs through
 * every path (new, grace period, due, legal hold, cancel, execute-now, claim, lease expiry, release at shutdown,
 * finish three ways, retry; a service that is retried, times out, refuses, or is no longer registered). Every
 * recorded (from, to) must be in its table, and every row of the tables must have been seen — so a status change
 * added to the store without the table, or a row of a table the store never makes, fails here.
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
    Leases leases;
    @Inject
    JobWorker worker;
    @Inject
    OrchestratorSettings settings;

    private final FakeServices fake = FakeServices.current();

    @BeforeEach
    void observeStatusChanges() {
        TestDb.execute("""
                create table lifecycle_observed (subject text not null, from_status varchar(20), to_status varchar(20) not null)""",
                """
                create function lifecycle_observe() returns trigger language plpgsql as $$
                begin
                    insert into lifecycle_observed
                    values (tg_table_name, case when tg_op = 'INSERT' then null else old.status end, new.status);
                    return new;
                end $$""",
                """
                create trigger lifecycle_observe after insert or update of status on deletion_jobs
                for each row execute function lifecycle_observe()""",
                """
                create trigger lifecycle_observe after insert or update of status on deletion_job_services
                for each row execute function lifecycle_observe()""");
    }

    @AfterEach
    void stopObserving() {
        TestDb.execute("drop trigger lifecycle_observe on deletion_jobs", "drop trigger lifecycle_observe on deletion_job_services",
                "drop function lifecycle_observe()",
                "drop table lifecycle_observed");
    }

    @Test
    void everyStatusChangeTheStoreMakesIsInTheTableAndEveryRowOfTheTableIsMade() {
        Replica replica = replica("lifecycle-a");
        Replica successor = replica("lifecycle-b");

        // new → pending → running (claim) → completed; one service answers a 503 first: its retry is running → running
        UUID doneTenant = tenant();
        UUID created = create(doneTenant, null);
        fake.behaviour(SERVICES.get(0), doneTenant).serverErrors(1);
        UUID done = runToEnd(replica, created);
        assertEquals(JobStatus.COMPLETED, status(done));
        assertEquals(Outcome.NOT_ALLOWED, store.resetForRetry(done).await().atMost(WAIT));

        // new → scheduled → cancelled; a pending job is neither cancelled nor executed now
        UUID cancelled = create(tenant(), Duration.ofHours(1));
        assertEquals(JobStatus.SCHEDULED, status(cancelled));
        assertEquals(Outcome.DONE, store.cancel(cancelled, "test").await().atMost(WAIT));
        assertEquals(Outcome.NOT_ALLOWED, store.cancel(cancelled, "test").await().atMost(WAIT));
        assertEquals(Outcome.NOT_ALLOWED, store.executeNow(cancelled, "test", "now").await().atMost(WAIT));

        // scheduled → pending by execute-now; under a legal hold it is refused and the job stays scheduled
        UUID heldTenant = tenant();
        UUID held = create(heldTenant, Duration.ofHours(1));
        placeHold(heldTenant);
        assertEquals(Outcome.ON_HOLD, store.executeNow(held, "test", "now").await().atMost(WAIT));
        TestDb.execute("update deletion_jobs set execute_after = now() - interval '1 second' where id = '" + held + "'");
        assertTrue(!store.promoteDue(100).await().atMost(WAIT).contains(held), "a due job under a legal hold was promoted");
        assertEquals(JobStatus.SCHEDULED, status(held));
        liftHold(heldTenant);
        assertTrue(store.promoteDue(100).await().atMost(WAIT).contains(held), "the due job once the hold was lifted");
        assertEquals(JobStatus.PENDING, status(held));
        runToEnd(replica, held);

        UUID hurried = create(tenant(), Duration.ofHours(1));
        assertEquals(Outcome.DONE, store.executeNow(hurried, "test", "now").await().atMost(WAIT));
        assertEquals(JobStatus.PENDING, status(hurried));
        assertEquals(Outcome.NOT_ALLOWED, store.executeNow(hurried, "test", "again").await().atMost(WAIT));
        assertEquals(Outcome.NOT_ALLOWED, store.cancel(hurried, "test").await().atMost(WAIT));

        // running → running: a lease that expired, then one released at shutdown, is claimed again (a lease's expiry
        // is the database's now(), so the test moves the expiry, not a clock)
        Claim first = claim(replica, hurried);
        TestDb.execute("update deletion_jobs set lease_expires_at = now() - interval '1 second' where id = '" + hurried + "'");
        Claim second = claim(successor, hurried);
        assertEquals(1, leases.release(List.of(second.leaseOwner())).await().atMost(WAIT));
        Claim third = claim(replica, hurried);
        assertTrue(!first.leaseOwner().equals(third.leaseOwner()), "each claim is its own lease");
        assertEquals(JobStatus.COMPLETED, replica.process(third).await().atMost(WAIT));

        // running → partially_failed (one service refuses), failed → pending refused under a hold, retried → completed
        UUID partTenant = tenant();
        fake.behaviour(SERVICES.get(0), partTenant).clientError(400);
        UUID partial = runToEnd(replica, create(partTenant, null));
        assertEquals(JobStatus.PARTIALLY_FAILED, status(partial));
        placeHold(partTenant);
        assertEquals(Outcome.ON_HOLD, store.resetForRetry(partial).await().atMost(WAIT));
        liftHold(partTenant);
        fake.behaviour(SERVICES.get(0), partTenant).recover();
        assertEquals(Outcome.DONE, store.resetForRetry(partial).await().atMost(WAIT));
        assertEquals(JobStatus.PENDING, status(partial));
        runToEnd(replica, partial);
        assertEquals(JobStatus.COMPLETED, status(partial));

        // running → failed (every service refuses, the first one times out), retried
        UUID failTenant = tenant();
        SERVICES.forEach(service -> fake.behaviour(service, failTenant).clientError(400));
        fake.behaviour(SERVICES.get(0), failTenant).recover().sleep(1500);
        UUID failed = runToEnd(replica, create(failTenant, null));
        assertEquals(JobStatus.FAILED, status(failed));
        SERVICES.forEach(service -> fake.behaviour(service, failTenant).recover());
        assertEquals(Outcome.DONE, store.resetForRetry(failed).await().atMost(WAIT));
        runToEnd(replica, failed);

        // new → pending at once when the asked-for instant has passed; a service no longer registered fails unasked
        List<String> withRetired = new ArrayList<>(SERVICES);
        withRetired.add("retired-service");
        UUID past = store.createOrFindActive(new NewJob(tenant(), "Past", "test", "test", java.time.Instant.now().minusSeconds(60), null),
                withRetired).await().atMost(WAIT).jobId();
        assertEquals(JobStatus.PENDING, status(past));
        runToEnd(replica, past);

        Set<String> table = new TreeSet<>();
        JobStatus.INITIAL.forEach(s -> table.add(pair(null, s.value())));
        for (Transition transition : Transition.values()) {
            transition.from().forEach(from -> table.add(pair(from.value(), transition.to().value())));
        }
        assertObserved("deletion_jobs", table, JobStatus::of);

        Set<String> serviceTable = new TreeSet<>();
        serviceTable.add(pair(null, ServiceStatus.INITIAL.value()));
        for (ServiceStatus.Transition transition : ServiceStatus.Transition.values()) {
            transition.from().forEach(from -> serviceTable.add(pair(from.value(), transition.to().value())));
        }
        assertObserved("deletion_job_services", serviceTable, ServiceStatus::of);
    }

    /** Every (from, to) the trigger saw on {@code subject} is a row of {@code table}, and every row was seen. */
    private static void assertObserved(String subject, Set<String> table, Function<String, ?> known) {
        Set<String> seen = new TreeSet<>();
        for (String[] change : observed(subject)) {
            if (change[0] != null) {
                known.apply(change[0]);
            }
            known.apply(change[1]);
            String pair = pair(change[0], change[1]);
            assertTrue(table.contains(pair), "the store moved a row of " + subject + " " + pair + ", which the transition table does not have");
            seen.add(pair);
        }
        assertEquals(table, seen, "every row of the transition table of " + subject + " is made by the store (and nothing else)");
    }

    private static String pair(String from, String to) {
        return (from == null ? "(new)" : from) + " -> " + to;
    }

    /** Another replica on this database, processing with the application's worker. */
    private Replica replica(String replicaId) {
        return new Replica(replicaId, store, leases, worker, settings.jobs().lease());
    }

    private static UUID tenant() {
        return UUID.randomUUID();
    }

    private UUID create(UUID tenant, Duration grace) {
        SERVICES.forEach(service -> fake.seed(service, tenant, 3));
        Outcome created = store.createOrFindActive(new NewJob(tenant, "Lifecycle", "test", "test", null, grace), SERVICES)
                .await().atMost(WAIT);
        assertTrue(created.created(), "a new job for a new tenant");
        return created.jobId();
    }

    private static Claim claim(Replica worker, UUID job) {
        return worker.claim(job).await().atMost(WAIT).orElseThrow(() -> new AssertionError("job " + job + " could not be claimed"));
    }

    private static UUID runToEnd(Replica worker, UUID job) {
        JobStatus status = worker.process(claim(worker, job)).await().atMost(WAIT);
        assertTrue(status.isSettled(), "a claim ends in a settled status, not " + status);
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

    private static List<String[]> observed(String subject) {
        List<String[]> changes = new ArrayList<>();
        try (Connection db = TestDb.connect(); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("select from_status, to_status from lifecycle_observed where subject = '"
                        + subject + "'")) {
            while (rows.next()) {
                changes.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }
}
