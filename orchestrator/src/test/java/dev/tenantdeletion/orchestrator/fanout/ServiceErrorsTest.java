package dev.tenantdeletion.orchestrator.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What of a service's error answer a job repeats: the code and a clean, bounded message, or a fixed phrase. */
class ServiceErrorsTest {

    private static final String WITHHELD = "(its message is withheld: it carried internal details)";

    @Test
    void theContractsStableWordsAreRepeated() {
        assertEquals(" deletion_failed: deletion failed: statement timeout on table pos_sessions",
                ServiceErrors.of(error("deletion_failed", "deletion failed: statement timeout on table pos_sessions")));
        assertEquals(" foreign_key_conflict: foreign key conflict: rows outside this deletion in table pos_devices reference the "
                        + "tenant's rows in pos_configurations (constraint pos_devices_configuration_id_fkey)",
                ServiceErrors.of(error("foreign_key_conflict", "foreign key conflict: rows outside this deletion in table pos_devices "
                        + "reference the tenant's rows in pos_configurations (constraint pos_devices_configuration_id_fkey)")));
        assertEquals(" deletion_in_progress", ServiceErrors.of(new JsonObject().put("error", "deletion_in_progress")));
    }

    @Test
    void internalsAreWithheld() {
        for (String leak : new String[] {
                "deletion failed: relation \"x\" does not exist (SQLSTATE 42P01)",
                "ERROR: duplicate key value violates unique constraint",
                "FATAL: password authentication failed for user \"pos\"",
                "java.lang.IllegalStateException: boom",
                "boom\n\tat dev.tenantdeletion.Foo.bar(Foo.java:12)",
                "could not reach http://pos-db.internal/",
                "connection refused: /10.0.3.17",
                "no answer from db-primary.internal:5432",
                "Connection refused: localhost"}) {
            assertEquals(" deletion_failed: " + WITHHELD, ServiceErrors.of(error("deletion_failed", leak)), leak);
        }
    }

    @Test
    void aBodyThatIsNoContractErrorIsNotRepeated() {
        assertEquals(" without a JSON error body", ServiceErrors.of(null));
        assertEquals(" without a JSON error code", ServiceErrors.of(new JsonObject().put("message", "deletion failed")));
        assertEquals(" without a JSON error code", ServiceErrors.of(error("ERROR: 42P01", "x")));
        assertEquals(" without a JSON error code", ServiceErrors.of(new JsonObject().put("error", 500)));
    }

    @Test
    void messagesAreCleanedAndBounded() {
        assertEquals(" deletion_failed: two lines", ServiceErrors.of(error("deletion_failed", " two\r\n\u0000lines ")));
        String longMessage = "a".repeat(1_000);
        assertEquals(" deletion_failed: " + "a".repeat(ServiceErrors.MAX_MESSAGE) + "…", ServiceErrors.of(error("deletion_failed", longMessage)));
        assertEquals(" deletion_failed", ServiceErrors.of(error("deletion_failed", " \n ")));
    }

    private static JsonObject error(String code, String message) {
        return new JsonObject().put("error", code).put("message", message);
    }
}
