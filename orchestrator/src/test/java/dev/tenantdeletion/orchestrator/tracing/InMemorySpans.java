package dev.tenantdeletion.orchestrator.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The spans of a test run kept in memory, in the tests that ask for it (InMemorySpans.Profile). */
@IfBuildProperty(name = "test.in-memory-spans", stringValue = "true")
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }

    /** Turns the in-memory exporter on and batches spans for a short while only. */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("test.in-memory-spans", "true", "quarkus.otel.bsp.schedule.delay", "100ms");
        }
    }
}
