package dev.tenantdeletion.orchestrator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A service run's result says completed exactly when it is verified without an error, whoever builds it. */
class ServiceResultTest {

    @Test
    void theFactoriesBuildWhatTheyAreNamedFor() {
        ServiceResult completed = ServiceResult.completed("pos-service", 12, Map.of("pos_audit", "kept 7 years"));
        assertEquals(ServiceStatus.COMPLETED, completed.status());
        assertTrue(completed.verified());
        assertEquals(0L, completed.remainingItems());
        assertNull(completed.error());

        assertEquals(ServiceStatus.FAILED, ServiceResult.failed("pos-service", "HTTP 400", 3).status());
        assertEquals(ServiceStatus.TIMED_OUT, ServiceResult.timedOut("pos-service", "timed out", 3).status());

        ServiceResult notEmpty = ServiceResult.notEmpty("pos-service", 5, Map.of("pos_transactions", 5L), 9);
        assertEquals(ServiceStatus.FAILED, notEmpty.status());
        assertEquals(5L, notEmpty.remainingItems());
        assertEquals("verification failed: the DELETE succeeded but the preview still shows 5 rows {pos_transactions=5}",
                notEmpty.error());

        assertEquals("verification failed: the preview does not list [pos_devices], which the DELETE reported deleting from",
                ServiceResult.notListed("pos-service", Set.of("pos_devices"), 1).error());
        ServiceResult unregistered = ServiceResult.unregistered("billing");
        assertEquals(ServiceStatus.FAILED, unregistered.status());
        assertEquals("unregistered", unregistered.error(), "the contract's word: \"error\": \"unregistered\"");
        assertEquals(0, unregistered.durationMs());
    }

    @Test
    void completedIffVerifiedWithoutAnError() {
        // completed, but with an error or not verified
        assertThrows(IllegalArgumentException.class,
                () -> new ServiceResult("s", ServiceStatus.COMPLETED, true, 0L, "an error", 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ServiceResult("s", ServiceStatus.COMPLETED, false, null, null, 1, null));
        // verified without an error, yet not completed
        for (ServiceStatus status : new ServiceStatus[] {ServiceStatus.FAILED, ServiceStatus.TIMED_OUT}) {
            assertThrows(IllegalArgumentException.class, () -> new ServiceResult("s", status, true, 0L, null, 1, null), status.value());
        }
        // a failure needs no verification to be consistent: verified with an error is still not completed
        assertEquals(ServiceStatus.FAILED, new ServiceResult("s", ServiceStatus.FAILED, true, 0L, "late error", 1, null).status());
    }

    @Test
    void aResultIsFinalAndNamesItsService() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceResult("s", ServiceStatus.PENDING, false, null, "x", 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ServiceResult("s", ServiceStatus.RUNNING, false, null, "x", 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ServiceResult(null, ServiceStatus.FAILED, false, null, "x", 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ServiceResult("s", null, false, null, "x", 1, null));
    }
}
