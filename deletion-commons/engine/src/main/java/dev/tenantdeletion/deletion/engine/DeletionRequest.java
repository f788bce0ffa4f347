package dev.tenantdeletion.deletion.engine;

import java.time.Duration;
import java.util.UUID;

/**
 * One DELETE call.
 *
 * @param idempotencyKey the caller's {@code Idempotency-Key}, null when none: with a key the answer carries the
 *                       totals of every call made under it
 * @param budget         {@code max_duration_ms}, null when none: with a budget the call deletes in batches and
 *                       starts no new batch once the budget is spent
 */
public record DeletionRequest(UUID tenant, String idempotencyKey, Duration budget) {

    public static DeletionRequest of(UUID tenant) {
        return new DeletionRequest(tenant, null, null);
    }
}
