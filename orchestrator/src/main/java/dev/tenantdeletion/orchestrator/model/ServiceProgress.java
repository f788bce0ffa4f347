package dev.tenantdeletion.orchestrator.model;


/** A service run's stored progress, as the next claim of the job resumes it: {@code deleted} its counts and their receipts. */
public record ServiceProgress(String service, ServiceStatus status, ReceiptTally deleted, int attempts, int calls,
        Long itemsExpected) {

    /** No DELETE was ever sent to the service for this job: its preview now is what it is expected to delete. */
    public boolean neverCalled() {
        return attempts == 0 && calls == 0;
    }
}
