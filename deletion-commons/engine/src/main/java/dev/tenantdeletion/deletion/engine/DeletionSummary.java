package dev.tenantdeletion.deletion.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * What one DELETE call did, as the contract's {@code summary} object. Also serialised inside error bodies built
 * as Response entities, which Quarkus cannot see at build time: registered for reflection here, with the engine,
 * so that the shared src-native-config names only classes every app (the orchestrator too) contains.
 */
@RegisterForReflection
public record DeletionSummary(String tenantId, String serviceName, Map<String, Long> deletedCounts,
        long totalDeleted, boolean complete, List<String> errors, boolean success, long durationMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Receipt receipt) {

    /**
     * The Idempotency-Key's receipt whose totals {@code deleted_counts} are (absent without a key). Its
     * {@code first_call_at} names it: after a receipt is pruned, a call under the same key opens a new receipt with
     * a later one, and its totals start again from zero — so a caller adds instead of keeping the larger figure.
     */
    @RegisterForReflection
    public record Receipt(String firstCallAt, int calls) {
    }

    /** The sum of per-table counts (the summary's and the preview's total). */
    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
