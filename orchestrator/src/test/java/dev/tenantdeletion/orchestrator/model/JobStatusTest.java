package dev.tenantdeletion.orchestrator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.model.JobStatus.Transition;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table's own consistency: what it says about terminal and settled statuses and what the store guards with. */
class JobStatusTest {

    @Test
    void completedAndCancelledAreNeverLeftAndOnlyARetryLeavesAFailure() {
        for (Transition transition : Transition.values()) {
            assertFalse(transition.allowedFrom(JobStatus.COMPLETED), "completed is left by " + transition);
            assertFalse(transition.allowedFrom(JobStatus.CANCELLED), "cancelled is left by " + transition);
            transition.from().forEach(from -> assertFalse(from.isTerminal(), "a terminal status is left by " + transition));
            transition.from().stream().filter(JobStatus::isSettled).forEach(from -> assertEquals(Transition.RETRY, transition,
                    "a settled status is left only by a retry: " + transition));
        }
    }

    @Test
    void theGuardsTheStoreBindsAreTheTablesRows() {
        assertEquals(Set.of(JobStatus.SCHEDULED), Transition.CANCEL.from());
        assertEquals(Set.of(JobStatus.SCHEDULED), Transition.EXECUTE_NOW.from());
        assertEquals(EnumSet.of(JobStatus.PENDING, JobStatus.RUNNING), Transition.CLAIM.from());
        assertEquals(EnumSet.of(JobStatus.FAILED, JobStatus.PARTIALLY_FAILED), Transition.RETRY.from());
        assertTrue(Transition.CLAIM.allowedFrom(JobStatus.RUNNING), "a claim after the lease expired or was released");
        for (Transition finish : new Transition[] {Transition.FINISH_COMPLETED, Transition.FINISH_PARTIALLY_FAILED, Transition.FINISH_FAILED}) {
            assertEquals(Set.of(JobStatus.RUNNING), finish.from(), "a job finishes only from running");
        }
        assertEquals(Arrays.asList("pending", "running"), Arrays.asList(JobStatus.asText(JobStatus.IN_PROGRESS)));
        assertEquals("status in ('scheduled', 'pending', 'running')", JobStatus.inList("status", JobStatus.unsettled()),
                "the predicate of uq_deletion_jobs_active_tenant, which ON CONFLICT must name");
    }
}
