package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Durable across restarts: scheduled jobs written to the job store before this application started — as an
 * earlier orchestrator process left them when it stopped — are run by this fresh process: one that came due
 * while no orchestrator was up runs at start-up, one still in its grace period runs when its time comes.
 * (What is restarted is the whole application on the same database; the earlier process is stood in for by
 * rows in the shape it writes.)
 */
@QuarkusTest
@WithTestResource(value = OrchestratorTestResource.class,
        initArgs = @ResourceArg(name = "before-start", value = "dev.tenantdeletion.orchestrator.lifecycle.ScheduledAcrossRestartTest$LeftScheduled"))
class ScheduledAcrossRestartTest {

    static final UUID OVERDUE_JOB = UUID.fromString("44444444-4444-4444-8444-444444444444");
    static final UUID OVERDUE_TENANT = UUID.fromString("bbbbbbbb-4444-4444-8444-444444444444");
    static final UUID WAITING_JOB = UUID.fromString("55555555-5555-4555-8555-555555555555");
    static final UUID WAITING_TENANT = UUID.fromString("bbbbbbbb-5555-4555-8555-555555555555");
    /** When the waiting job is due: set before the application starts, some seconds after. */
    static volatile Instant waitingDue;

    /** Before the application starts: one scheduled job overdue, one due a few seconds after the start. */
    public static class LeftScheduled implements Consumer<String> {
        @Override
        public void accept(String database) {
            FakeServices fake = FakeServices.current();
            for (String service : FakeServices.TABLES.keySet()) {
                fake.seed(service, OVERDUE_TENANT, 9);
                fake.seed(service, WAITING_TENANT, 9);
            }
            waitingDue = Instant.now().plusSeconds(12);
            try (Connection db = TestDb.connect()) {
                JobRows.job(db, OVERDUE_JOB, OVERDUE_TENANT, "scheduled", null, 0);
                JobRows.job(db, WAITING_JOB, WAITING_TENANT, "scheduled", null, 0);
                TestDb.update(db, "update deletion_jobs set started_at = null, execute_after = now() - interval '1 hour' where id = ?", OVERDUE_JOB);
                TestDb.update(db, "update deletion_jobs set started_at = null, execute_after = ? where id = ?",
                        java.sql.Timestamp.from(waitingDue), WAITING_JOB);
                for (String service : FakeServices.TABLES.keySet()) {
                    JobRows.service(db, OVERDUE_JOB, service, "pending", 0, "{}", 0, false);
                    JobRows.service(db, WAITING_JOB, service, "pending", 0, "{}", 0, false);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void scheduledJobsLeftByAnEarlierProcessRunWhenDue() {
        FakeServices fake = FakeServices.current();
        Response overdue = awaitFinal(TestTokens.service(), OVERDUE_JOB.toString(), Duration.ofSeconds(30));
        assertEquals("completed", overdue.jsonPath().getString("status"), overdue.asString());

        // the other one is still in its grace period: nothing deleted yet
        if (Instant.now().isBefore(waitingDue.minusSeconds(1))) {
            assertEquals("scheduled", JobRows.status(WAITING_JOB));
            for (String service : FakeServices.TABLES.keySet()) {
                assertEquals(List.of(), fake.calls(service, "DELETE", WAITING_TENANT), service);
            }
        }
        Response waiting = awaitFinal(TestTokens.service(), WAITING_JOB.toString(), Duration.ofSeconds(40));
        assertEquals("completed", waiting.jsonPath().getString("status"), waiting.asString());
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(1, fake.calls(service, "DELETE", WAITING_TENANT).size(), service);
            assertFalse(fake.calls(service, "DELETE", WAITING_TENANT).get(0).at().isBefore(waitingDue), service + " called early");
        }
    }
}
