package dev.tenantdeletion.deletion.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Traces are exported only where an OTLP endpoint is configured ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT},
 * or {@code ..._TRACES_ENDPOINT}, in the environment). Without one, Quarkus' OTLP exporter would send to
 * localhost:4317 and log a failure for every batch; while this exporter bean can be looked up (neither set)
 * Quarkus leaves its OTLP exporter out and hands the spans here, where they are dropped. Spans are still made, so trace ids
 * reach the logs and the W3C traceparent header still links the processes.
 */
@Singleton
@Unremovable
@LookupIfProperty(name = NoExportWithoutEndpoint.ENDPOINT, stringValue = NoExportWithoutEndpoint.NONE)
public class NoExportWithoutEndpoint implements SpanExporter {

    /**
     * The OTLP endpoint the operator set, from the environment, or "none" (microprofile-config.properties). Not
     * Quarkus' own property, whose default (localhost:4317) cannot be told apart from an endpoint really set.
     */
    static final String ENDPOINT = "tenant-deletion.tracing.otlp-endpoint";
    static final String NONE = "none";

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
