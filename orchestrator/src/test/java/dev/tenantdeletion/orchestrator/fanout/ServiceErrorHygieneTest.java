package dev.tenantdeletion.orchestrator.fanout;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.LogCapture;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a job records of a service's failure is read by the tenant's owners and admins: the error code and a clean
 * message from a JSON error body, or a fixed phrase; never the body of a raw 500, database text, exception names or
 * hosts. The log line names the job and keeps the raw answer.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class ServiceErrorHygieneTest {

    private static final String LEAK = "ERROR: relation \"pos_sessions\" does not exist (SQLSTATE 42P01) on db-primary.internal:5432\n"
            + "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)";
    private static final List<String> INTERNALS = List.of("SQLSTATE", "42P01", "ERROR:", "db-primary", "5432", "Exception",
            "org.postgresql", "QueryExecutorImpl", "127.0.0.1");

    @Test
    void aJobRecordsStableWordsAndTheLogKeepsTheDetail() {
        UUID tenant = UUID.randomUUID();
        FakeServices fake = FakeServices.current();
        fake.seed("pos-service", tenant, 7);
        fake.seed("external-service", tenant, 7);
        fake.seed("alert-processor", tenant, 7);
        // a raw text 500, a JSON 500 whose message is the database's own text, a JSON 500 in the contract's stable words
        fake.behaviour("pos-service", tenant).serverErrorBody("text/plain", LEAK);
        fake.behaviour("external-service", tenant).serverErrorBody("application/json",
                "{\"error\":\"deletion_failed\",\"message\":" + Api.jsonString("deletion failed: " + LEAK) + "}");
        fake.behaviour("alert-processor", tenant).serverErrorBody("application/json",
                "{\"error\":\"deletion_failed\",\"message\":\"deletion failed: statement timeout on table alert_events\"}");

        Response done;
        String jobId;
        try (LogCapture log = LogCapture.of(ServiceResults.class.getName())) {
            jobId = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
            awaitFinal(TestTokens.service(), jobId, Duration.ofSeconds(20));
            // read as the tenant's owner reads it
            done = Api.job(TestTokens.user("owner", tenant), jobId);
            assertEquals(200, done.statusCode(), done.asString());
            assertEquals("failed", done.jsonPath().getString("status"), done.asString());
            String attempts = " (attempt " + OrchestratorTestResource.MAX_ATTEMPTS + " of " + OrchestratorTestResource.MAX_ATTEMPTS + ")";
            assertEquals("DELETE to pos-service answered HTTP 500 without a JSON error body" + attempts, error(done, "pos-service"));
            assertEquals("DELETE to external-service answered HTTP 500 deletion_failed: (its message is withheld: it carried "
                    + "internal details)" + attempts, error(done, "external-service"));
            assertEquals("DELETE to alert-processor answered HTTP 500 deletion_failed: deletion failed: statement timeout on table "
                    + "alert_events" + attempts, error(done, "alert-processor"));
            for (String internal : INTERNALS) {
                assertFalse(done.asString().contains(internal), "the job shows " + internal + ": " + done.asString());
            }
            for (String service : List.of("pos-service", "external-service")) {
                List<String> lines = log.linesWith("job " + jobId, "deletion in " + service + " failed", "db-primary.internal:5432",
                        "SQLSTATE 42P01");
                assertEquals(1, lines.size(), "one log line names the job and keeps the raw answer of " + service + ": " + log.lines());
            }
        }
    }

    private static String error(Response job, String service) {
        return job.jsonPath().getString("services.find { it.service == '" + service + "' }.error");
    }
}
