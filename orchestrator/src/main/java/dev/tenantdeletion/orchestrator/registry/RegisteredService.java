package dev.tenantdeletion.orchestrator.registry;

import java.time.Duration;

/**
 * A service the orchestrator deletes from: its name, its base URL (base path included), its call timeout and the
 * {@code aud} of the tokens it is sent (the service verifies it: a token it receives is good for it alone).
 */
public record RegisteredService(String name, String url, Duration timeout, String audience) {

    /** A service whose audience is its registry name (the default). */
    public RegisteredService(String name, String url, Duration timeout) {
        this(name, url, timeout, name);
    }

    /** The contract's bounds of {@code max_duration_ms}. */
    static final long MIN_BUDGET_MS = 100;
    static final long MAX_BUDGET_MS = 600_000;

    public String deleteUrl(String tenantId) {
        return url + "/tenant/" + tenantId;
    }

    public String previewUrl(String tenantId) {
        return url + "/tenant/" + tenantId + "/deletion-preview";
    }

    /** GET: the tenant's rows as NDJSON (third edition). */
    public String exportUrl(String tenantId) {
        return url + "/tenant/" + tenantId + "/export";
    }

    /** POST: which of up to 1,000 tenants hold rows (third edition). */
    public String deletionCheckUrl() {
        return url + "/tenants/deletion-check";
    }

    /**
     * The {@code max_duration_ms} sent with every DELETE: half the call timeout. A budgeted call stops
     * starting batches after the budget but still finishes the batch under way and has to send its answer,
     * so the other half is the room for that last batch and the answer; a budget close to the timeout
     * would have the answer arrive after we gave up (the receipt keeps the count, but the call is wasted).
     * Clamped to the contract's 100..600000 ms.
     */
    public long deleteBudgetMillis() {
        return Math.max(MIN_BUDGET_MS, Math.min(MAX_BUDGET_MS, timeout.toMillis() / 2));
    }

    /** The Idempotency-Key of this service's DELETE calls for a job: the same over every call, retry and run. */
    public String idempotencyKey(java.util.UUID jobId) {
        return jobId + ":" + name;
    }
}
