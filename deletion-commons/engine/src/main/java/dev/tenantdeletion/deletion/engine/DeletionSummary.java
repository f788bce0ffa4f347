package dev.tenantdeletion.deletion.engine;

import java.util.List;
import java.util.Map;

/** What one DELETE call did, as the contract's {@code summary} object (also inside error bodies: see src-native-config). */
public record DeletionSummary(String tenantId, String serviceName, Map<String, Long> deletedCounts,
        long totalDeleted, boolean complete, List<String> errors, boolean success, long durationMs) {
}
