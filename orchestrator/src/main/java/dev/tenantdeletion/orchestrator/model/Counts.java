package dev.tenantdeletion.orchestrator.model;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Row counts per table ({@code deleted_counts}, {@code data_counts}), as the services answer them and the job store keeps them. */
public final class Counts {

    private Counts() {
    }

    /** Every table's rows added up. */
    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The numeric entries of a JSON object of counts, in its order; null reads as none. */
    public static Map<String, Long> of(JsonObject json) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (json != null) {
            json.forEach(entry -> {
                if (entry.getValue() instanceof Number n) {
                    counts.put(entry.getKey(), n.longValue());
                }
            });
        }
        return counts;
    }

    /** A stored json column of counts, which the reactive client hands over as a JsonObject or as its text. */
    public static Map<String, Long> ofColumn(Object value) {
        return of(value instanceof JsonObject json ? json : value == null ? null : new JsonObject(value.toString()));
    }
}
