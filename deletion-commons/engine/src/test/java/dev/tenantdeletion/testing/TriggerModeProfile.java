package dev.tenantdeletion.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** deletion.fk-checks=triggers: PostgreSQL's per-row RI triggers, for the contract suite's second run in every service. */
public class TriggerModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("deletion.fk-checks", "triggers");
    }
}
