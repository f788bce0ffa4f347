package dev.tenantdeletion.orchestrator.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The orchestrator's own spans: one per job run, and under it one per DELETE call to a service (each
 * attempt and each continuation its own), parent of the HTTP client span whose W3C traceparent links the
 * service's request span and its SQL spans into the same trace. Attributes name the job, the tenant (ids
 * only), the service, the attempt and the outcome: never tenant data or a token.
 */
@ApplicationScoped
public class JobTracing {

    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("deletion.job.id");
    public static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("deletion.tenant.id");
    public static final AttributeKey<String> SERVICE = AttributeKey.stringKey("deletion.service");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("deletion.attempt");
    public static final AttributeKey<Long> CALL = AttributeKey.longKey("deletion.call");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("deletion.outcome");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("deletion.job.status");

    public static final String CLAIM_SPAN = "deletion-job run";
    public static final String CALL_SPAN = "deletion-service call";

    private final Tracer tracer;

    public JobTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * A claim of a job: the root of its own trace (claims start from sweeps and resumes as often as from a
     * request), linked to the request span that started it, if any. The span keeps its published name.
     */
    public Span startClaim(UUID jobId, UUID tenantId) {
        var builder = tracer.spanBuilder(CLAIM_SPAN).setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setAttribute(JOB_ID, jobId.toString()).setAttribute(TENANT_ID, tenantId.toString());
        SpanContext starter = Span.current().getSpanContext();
        if (starter.isValid()) {
            builder.addLink(starter);
        }
        return builder.startSpan();
    }

    public static void endClaim(Span claim, String status, Throwable failure) {
        if (status != null) {
            claim.setAttribute(STATUS, status);
        }
        if (failure != null) {
            claim.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        claim.end();
    }

    /** One DELETE call to a service, child of {@code parent} (the claim's context). */
    public Span startCall(Context parent, String service, int attempt, int call) {
        return tracer.spanBuilder(CALL_SPAN).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(SERVICE, service).setAttribute(ATTEMPT, (long) attempt).setAttribute(CALL, (long) call)
                .startSpan();
    }

    /** Ends a call span with its outcome (success, timeout, server_error, ...). */
    public static void endCall(Span call, String outcome) {
        call.setAttribute(OUTCOME, outcome);
        if (!"success".equals(outcome)) {
            call.setStatus(StatusCode.ERROR, outcome);
        }
        call.end();
    }
}
