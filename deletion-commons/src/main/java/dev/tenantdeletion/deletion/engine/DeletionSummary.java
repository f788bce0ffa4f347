package dev.tenantdeletion.deletion.engine;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/** What one DELETE call did, as the contract's {@code summary} object (also inside error bodies, hence registered). */
@RegisterForReflection
public record DeletionSummary(String tenantId, String serviceName, Map<String, Long> deletedCounts,
        long totalDeleted, boolean complete, List<String> errors, boolean success, long durationMs) {
}
