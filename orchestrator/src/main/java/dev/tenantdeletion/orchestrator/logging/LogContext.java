package dev.tenantdeletion.orchestrator.logging;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * Runs a pipeline on a fresh duplicated Vert.x context whose MDC carries the given fields. Quarkus keeps
 * the MDC in the duplicated context, and the reactive clients call back on the context they were called
 * from, so every log line of the pipeline carries the fields (job_id, tenant_id, service) whatever thread
 * writes it, without leaking into other jobs. The trace context travels the same way: the pipeline's spans
 * (and the HTTP and SQL client spans Quarkus makes) are children of the span current in the new context.
 */
public final class LogContext {

    private LogContext() {
    }

    /** The pipeline on its own context with the current MDC plus {@code fields}, in the current trace context. */
    public static <T> Uni<T> with(Vertx vertx, Map<String, String> fields, Supplier<Uni<T>> pipeline) {
        return with(vertx, fields, pipeline, io.opentelemetry.context.Context.current());
    }

    /** The pipeline on its own context with the current MDC plus {@code fields}, in the trace context {@code trace}. */
    public static <T> Uni<T> with(Vertx vertx, Map<String, String> fields, Supplier<Uni<T>> pipeline,
            io.opentelemetry.context.Context trace) {
        Map<String, Object> inherited = new HashMap<>(MDC.getMap());
        Context parent = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
        Context context = VertxContext.createNewDuplicatedContext(parent);
        return Uni.createFrom().emitter(emitter -> {
            Runnable start = () -> {
                inherited.forEach(MDC::put);
                fields.forEach(MDC::put);
                // stored in this duplicated context (Quarkus' context storage), which ends with the pipeline:
                // the scope is never closed on purpose
                @SuppressWarnings({"resource", "unused"})
                var scope = trace.makeCurrent();
                pipeline.get().subscribe().with(emitter::complete, emitter::fail);
            };
            if (Vertx.currentContext() != null && Context.isOnEventLoopThread()) {
                // start now, on this thread, as the caller would have without a log context
                ((ContextInternal) context).dispatch(start);
            } else {
                context.runOnContext(ignored -> start.run());
            }
        });
    }
}
