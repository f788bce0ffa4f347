package dev.tenantdeletion.deletion.engine;

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
        long totalDeleted, boolean complete, List<String> errors, boolean success, long durationMs) {

    /** The sum of per-table counts (the summary's and the preview's total). */
    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
