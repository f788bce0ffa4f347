package dev.tenantdeletion.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The feature flag off, as DELETION_ENABLED=false. */
public class DeletionDisabledProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("deletion.enabled", "false");
    }
}
