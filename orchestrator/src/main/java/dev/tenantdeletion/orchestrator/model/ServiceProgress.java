package dev.tenantdeletion.orchestrator.model;

import java.util.Map;

/** A service run's stored progress, as the next claim of the job resumes it. */
public record ServiceProgress(String service, ServiceStatus status, Map<String, Long> deletedCounts, int attempts, int calls,
        Long itemsExpected) {

    /** No DELETE was ever sent to the service for this job: its preview now is what it is expected to delete. */
    public boolean neverCalled() {
        return attempts == 0 && calls == 0;
    }
}
