package dev.tenantdeletion.orchestrator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.model.ServiceStatus.Transition;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The service-run transition table's own consistency, as {@link JobStatusTest} checks the job's. */
class ServiceStatusTest {

    @Test
    void completedIsNeverLeftAndOnlyARetryLeavesAFailure() {
        for (Transition transition : Transition.values()) {
            assertFalse(transition.allowedFrom(ServiceStatus.COMPLETED), "completed is left by " + transition);
            transition.from().stream().filter(ServiceStatus::isSettled).forEach(from -> assertEquals(Transition.RETRY, transition,
                    "a settled status is left only by a retry: " + transition));
        }
        assertEquals(Set.of(ServiceStatus.COMPLETED), EnumSet.copyOf(java.util.Arrays.stream(ServiceStatus.values())
                .filter(ServiceStatus::isTerminal).toList()));
        assertEquals(EnumSet.of(ServiceStatus.COMPLETED, ServiceStatus.FAILED, ServiceStatus.TIMED_OUT),
                EnumSet.copyOf(java.util.Arrays.stream(ServiceStatus.values()).filter(ServiceStatus::isSettled).toList()));
    }

    @Test
    void theGuardsTheStoreBindsAreTheTablesRows() {
        assertEquals(EnumSet.of(ServiceStatus.PENDING, ServiceStatus.RUNNING), Transition.CALL_STARTED.from(),
                "a first call, a continuation, a retry and a later claim's call");
        assertTrue(Transition.CALL_STARTED.allowedFrom(ServiceStatus.RUNNING), "running -> running: the next call");
        assertEquals(EnumSet.of(ServiceStatus.FAILED, ServiceStatus.TIMED_OUT), Transition.RETRY.from());
        assertEquals(ServiceStatus.PENDING, Transition.RETRY.to());
        assertEquals(Set.of(ServiceStatus.RUNNING), Transition.FINISH_COMPLETED.from(), "completed only after a call");
        assertEquals(Set.of(ServiceStatus.RUNNING), Transition.FINISH_TIMED_OUT.from(), "timed out only after a call");
        assertTrue(Transition.FINISH_FAILED.allowedFrom(ServiceStatus.PENDING), "failed before its first call: unregistered");
        for (ServiceStatus settled : EnumSet.of(ServiceStatus.COMPLETED, ServiceStatus.FAILED, ServiceStatus.TIMED_OUT)) {
            Transition finish = Transition.finishingAs(settled);
            assertEquals(settled, finish.to());
            assertTrue(finish.name().startsWith("FINISH_"), finish + " records a result");
        }
        assertThrows(IllegalArgumentException.class, () -> Transition.finishingAs(ServiceStatus.RUNNING));
        assertEquals(ServiceStatus.PENDING, ServiceStatus.INITIAL);
    }

    @Test
    void valuesAreTheLowerCaseNames() {
        assertEquals("timed_out", ServiceStatus.TIMED_OUT.value());
        assertEquals(ServiceStatus.TIMED_OUT, ServiceStatus.of("timed_out"));
        assertTrue(ServiceStatus.parse("TIMED_OUT").isEmpty());
        assertThrows(IllegalStateException.class, () -> ServiceStatus.of("lost"));
    }
}
