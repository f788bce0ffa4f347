package dev.tenantdeletion.deletion.tracing;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Gives every log line written inside a span the keys {@code trace_id} and {@code span_id} (snake_case, like
 * the lines' job_id, tenant_id and service), copied from the MDC keys Quarkus' OpenTelemetry sets (traceId,
 * spanId). Installed on the console and file handlers (quarkus.log.*.filter=trace-ids).
 */
@LoggingFilter(name = "trace-ids")
public final class TraceIdsInLogs implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String traceId = ext.getMdc("traceId");
            if (traceId != null && !traceId.isEmpty()) {
                ext.putMdc("trace_id", traceId);
                String spanId = ext.getMdc("spanId");
                if (spanId != null) {
                    ext.putMdc("span_id", spanId);
                }
            }
        }
        return true;
    }
}
