package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Settings of their own, for a part a test builds itself (the defaults, plus {@code properties}). */
public final class TestSettings {

    private TestSettings() {
    }

    public static OrchestratorSettings with(Map<String, String> properties) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(OrchestratorSettings.class);
        properties.forEach(builder::withDefaultValue);
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(OrchestratorSettings.class);
    }
}
