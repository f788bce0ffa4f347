package dev.tenantdeletion.deletion.health;

import io.quarkus.arc.Unremovable;
import io.smallrye.health.api.HealthContentFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * What the unauthenticated {@code /q/health}, {@code /q/health/ready} and {@code /q/health/live} answer: the overall
 * status and each check's name and status, nothing of its {@code data}. The checks' data name tables, constraints,
 * triggers and the database's own error text (hosts, roles): operators read them with a service token at
 * {@code GET {base}/health-details} ({@link HealthDetailsResource}). SmallRye Health applies this filter when it writes
 * the answer of its endpoints, not to {@code SmallRyeHealthReporter}'s results, which keep the data.
 */
@ApplicationScoped
@Unremovable
public class PublicHealthFilter implements HealthContentFilter {

    @Override
    public JsonObject filter(JsonObject payload) {
        JsonObjectBuilder answer = Json.createObjectBuilder();
        if (payload.containsKey("status")) {
            answer.add("status", payload.get("status"));
        }
        JsonArrayBuilder checks = Json.createArrayBuilder();
        if (payload.get("checks") instanceof jakarta.json.JsonArray all) {
            for (JsonValue value : all) {
                if (value instanceof JsonObject check) {
                    JsonObjectBuilder kept = Json.createObjectBuilder();
                    if (check.containsKey("name")) {
                        kept.add("name", check.get("name"));
                    }
                    if (check.containsKey("status")) {
                        kept.add("status", check.get("status"));
                    }
                    checks.add(kept);
                }
            }
        }
        return answer.add("checks", checks).build();
    }
}
