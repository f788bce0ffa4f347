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
 * writes it, without leaking into other jobs.
 */
public final class LogContext {

    private LogContext() {
    }

    /** The pipeline on its own context with the current MDC plus {@code fields}. */
    public static <T> Uni<T> with(Vertx vertx, Map<String, String> fields, Supplier<Uni<T>> pipeline) {
        Map<String, Object> inherited = new HashMap<>(MDC.getMap());
        Context parent = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
        Context context = VertxContext.createNewDuplicatedContext(parent);
        return Uni.createFrom().emitter(emitter -> {
            Runnable start = () -> {
                inherited.forEach(MDC::put);
                fields.forEach(MDC::put);
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
