package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The spans and metrics of one service's pipeline in a claim: each DELETE under its own span, a child of the
 * claim's trace context, its duration and outcome in the call metric; timeouts and retries counted.
 */
final class CallTelemetry {

    private final OrchestratorMetrics metrics;
    private final JobTracing tracing;
    private final Vertx vertx;
    private final String service;
    /** The claim's trace context: every call span is its child (a call's callbacks run in the previous call's context). */
    private final Context trace = Context.current();

    CallTelemetry(OrchestratorMetrics metrics, JobTracing tracing, Vertx vertx, String service) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.vertx = vertx;
        this.service = service;
    }

    /** The pipeline on a context of its own whose current trace context is the claim's. */
    <T> Uni<T> inTrace(Supplier<Uni<T>> pipeline) {
        return inTrace(trace, pipeline);
    }

    /**
     * One DELETE under its own span (attempt, call number, service, outcome), sent from a context where that span
     * is current, so the HTTP client span and its traceparent header are its children; its duration and outcome go
     * to the call metric, a timeout to the timeout counter too.
     */
    Uni<DeleteAnswer> delete(int attempt, int call, Supplier<Uni<DeleteAnswer>> send) {
        Span span = tracing.startCall(trace, service, attempt, call);
        return inTrace(trace.with(span), () -> timed(send))
                .onItemOrFailure().invoke((answer, failure) -> JobTracing.endCall(span, failure == null ? "success"
                        : failure instanceof CallFailure f ? f.kind().outcome() : "error"));
    }

    /** A preview: only a timeout is counted (the call metric is for DELETEs). */
    <T> Uni<T> preview(Supplier<Uni<T>> call) {
        return call.get().onFailure(CallFailure.class).invoke(f -> countTimeout((CallFailure) f));
    }

    /** A failed attempt is about to be retried. */
    void retried() {
        metrics.retry(service);
    }

    private <T> Uni<T> inTrace(Context context, Supplier<Uni<T>> pipeline) {
        return LogContext.with(vertx, Map.of(), pipeline, context);
    }

    private Uni<DeleteAnswer> timed(Supplier<Uni<DeleteAnswer>> call) {
        long started = System.nanoTime();
        return call.get()
                .onItem().invoke(() -> metrics.serviceCall(service, "success", Duration.ofNanos(System.nanoTime() - started)))
                .onFailure(CallFailure.class).invoke(f -> {
                    CallFailure failure = (CallFailure) f;
                    metrics.serviceCall(service, failure.kind().outcome(), Duration.ofNanos(System.nanoTime() - started));
                    countTimeout(failure);
                });
    }

    private void countTimeout(CallFailure failure) {
        if (failure.kind() == CallFailure.Kind.TIMEOUT) {
            metrics.timeout(service);
        }
    }
}
