package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Deletes a tenant from several services at once. Each service gets its own Mutiny pipeline — the
 * expected-items preview (first run only), DELETE calls under the job's Idempotency-Key until the service
 * answers {@code complete}, each call with its own timeout and retries, then a verification preview — and
 * its result is handed to the listener the moment it is known, so a slow or dead service never holds back
 * the others.
 */
@ApplicationScoped
public class Fanout {

    /**
     * Answers {@code complete: false} in a row that delete nothing more before the service is failed: a
     * service that keeps asking to be called again without making progress would otherwise loop forever.
     */
    static final int MAX_CALLS_WITHOUT_PROGRESS = 20;

    private final ServiceClient client;
    private final OrchestratorMetrics metrics;
    private final RetryPolicy policy;
    private final Vertx vertx;
    private final JobTracing tracing;

    /** Without traces (the spans go nowhere): for tests that build a fan-out of their own. */
    public Fanout(ServiceClient client, OrchestratorMetrics metrics, ServiceRegistry registry, Vertx vertx) {
        this(client, metrics, registry, vertx, new JobTracing(OpenTelemetry.noop().getTracer("tenant-deletion")));
    }

    @Inject
    public Fanout(ServiceClient client, OrchestratorMetrics metrics, ServiceRegistry registry, Vertx vertx, JobTracing tracing) {
        this.tracing = tracing;
        this.client = client;
        this.vertx = vertx;
        this.metrics = metrics;
        this.policy = new RetryPolicy(registry.retry().maxAttempts(), registry.retry().initialBackoff(),
                registry.retry().maxBackoff());
    }

    public RetryPolicy policy() {
        return policy;
    }

    public JobTracing tracing() {
        return tracing;
    }

    /** One service of a run; {@code takeExpected}: no DELETE was ever sent for it, so its preview is the expected figure. */
    public record Task(RegisteredService service, boolean takeExpected) {
    }

    /** Runs every service's pipeline in parallel; completes when all are recorded. */
    public Uni<List<ServiceResult>> deleteEverywhere(UUID jobId, UUID tenant, List<Task> tasks, FanoutListener listener) {
        if (tasks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // each service's pipeline logs under its own name (MDC "service"), next to the job's job_id and tenant_id
        List<Uni<ServiceResult>> pipelines = tasks.stream()
                .map(t -> LogContext.with(vertx, Map.of("service", t.service().name()),
                        () -> deleteFrom(t.service(), jobId, tenant, t.takeExpected(), listener)))
                .toList();
        // fail fast only on an abandoned run (the pipelines recover every service failure themselves)
        return Uni.join().all(pipelines).andFailFast();
    }

    /**
     * One service: expected items, DELETE calls (each retried) until complete, every answer recorded,
     * then verification with the preview and the result recorded.
     */
    Uni<ServiceResult> deleteFrom(RegisteredService service, UUID jobId, UUID tenant, boolean takeExpected, FanoutListener listener) {
        long started = System.nanoTime();
        String name = service.name();
        String key = service.idempotencyKey(jobId);
        // the run's trace context: every call span is its child (a call's callbacks run in the previous call's context)
        Context trace = Context.current();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean firstCall = new AtomicBoolean(true);
        AtomicLong lastTotal = new AtomicLong(-1);
        AtomicInteger withoutProgress = new AtomicInteger();
        // every table a DELETE answer named: the verification preview must list each of them
        Set<String> reported = ConcurrentHashMap.newKeySet();
        Supplier<Uni<DeleteAnswer>> oneCall = () -> {
            boolean first = firstCall.getAndSet(false);
            return policy.<DeleteAnswer>run(
                            attempt -> {
                                attempts.set(attempt);
                                return record(() -> listener.callStarted(name, first || attempt > 1))
                                        .chain(() -> tracedDelete(trace, service, tenant, key, attempt, calls.incrementAndGet()))
                                        .onFailure(CallFailure.class).call(f -> {
                                            Map<String, Long> partial = ((CallFailure) f).partiallyDeleted();
                                            reported.addAll(partial.keySet());
                                            return partial.isEmpty() ? Uni.createFrom().voidItem()
                                                    : record(() -> listener.deleted(name, partial));
                                        })
                                        .call(answer -> {
                                            reported.addAll(answer.deletedCounts().keySet());
                                            return record(() -> listener.deleted(name, answer.deletedCounts()));
                                        });
                            },
                            (attempt, failure) -> {
                                metrics.retry(name);
                                Log.infof("retrying %s (attempt %d of %d failed: %s)", name, attempt, policy.maxAttempts(),
                                        failure.getMessage());
                            })
                    .invoke(answer -> checkProgress(name, answer, lastTotal, withoutProgress));
        };
        Uni<Void> expected = takeExpected ? inTrace(trace, () -> expectedItems(service, tenant, listener)) : Uni.createFrom().voidItem();
        return expected
                // a continuation call follows at once, without backoff and without using up retries
                .chain(() -> repeatUntil(oneCall, DeleteAnswer::complete))
                .chain(last -> inTrace(trace, () -> verify(service, tenant, reported, started, listener)))
                .onFailure(CallFailure.class).recoverWithItem(f -> failed(service, (CallFailure) f, attempts.get(), started))
                .onFailure(f -> !(f instanceof RunAbandoned)).recoverWithItem(f -> {
                    Log.errorf(f, "unexpected failure while deleting from %s", name);
                    return new ServiceResult(name, ServiceResult.FAILED, false, null, "unexpected error: " + f, millisSince(started));
                })
                .invoke(result -> Log.infof("%s finished: %s%s", name, result.status(), result.verified() ? ", verified empty" : ""))
                .call(result -> record(() -> listener.finished(result)));
    }

    /**
     * Calls {@code call} again and again until an item satisfies {@code done}, and gives that item. An
     * iterative repetition (Mutiny's repeat operator drains in a loop), so hundreds or millions of calls
     * never grow the stack, unlike a {@code chain} per call.
     */
    static <T> Uni<T> repeatUntil(Supplier<Uni<T>> call, Predicate<T> done) {
        return Multi.createBy().repeating().<T>uni(call::get).whilst(item -> !done.test(item))
                .collect().last();
    }

    private static void checkProgress(String name, DeleteAnswer answer, AtomicLong lastTotal, AtomicInteger withoutProgress) {
        long total = answer.deletedCounts().values().stream().mapToLong(Long::longValue).sum();
        long previous = lastTotal.getAndSet(total);
        if (answer.complete() || total != previous) {
            withoutProgress.set(0);
            return;
        }
        if (withoutProgress.incrementAndGet() >= MAX_CALLS_WITHOUT_PROGRESS) {
            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, name + " answered complete=false " + MAX_CALLS_WITHOUT_PROGRESS
                    + " times in a row without deleting anything more");
        }
    }

    /**
     * The rows the service holds before its first DELETE (items_expected). One attempt with the service's
     * timeout, inside the service's own pipeline so a slow service delays nobody else; when it fails the
     * figure stays unknown and the deletion goes ahead.
     */
    private Uni<Void> expectedItems(RegisteredService service, UUID tenant, FanoutListener listener) {
        listener.alive(service.name());
        return client.preview(service, tenant)
                .map(counts -> counts.values().stream().mapToLong(Long::longValue).sum())
                .onFailure(CallFailure.class).recoverWithItem(f -> {
                    Log.warnf("items expected from %s unknown (its preview failed: %s); deleting anyway", service.name(), f.getMessage());
                    return null;
                })
                .chain(items -> items == null ? Uni.createFrom().voidItem() : record(() -> listener.expected(service.name(), items)));
    }

    /**
     * After the service reported complete: its preview must list every table a DELETE answer named (a
     * preview that leaves one out could hide rows) and show zero rows in all of them.
     */
    private Uni<ServiceResult> verify(RegisteredService service, UUID tenant, Set<String> reported, long started, FanoutListener listener) {
        String name = service.name();
        return policy.run(attempt -> {
                            listener.alive(name);
                            return timed(service, () -> client.previewWithRetained(service, tenant), false);
                        },
                        (attempt, failure) -> metrics.retry(name))
                .map(preview -> {
                    Map<String, Long> counts = preview.counts();
                    Set<String> missing = new TreeSet<>(reported);
                    missing.removeAll(counts.keySet());
                    if (!missing.isEmpty()) {
                        Log.warnf("%s reported a deletion from %s but its preview does not list them: %s", name, missing, counts);
                        return new ServiceResult(name, ServiceResult.FAILED, false, null, "verification failed: the preview does not list "
                                + missing + ", which the DELETE reported deleting from", millisSince(started));
                    }
                    long remaining = counts.values().stream().mapToLong(Long::longValue).sum();
                    if (remaining == 0) {
                        return new ServiceResult(name, ServiceResult.COMPLETED, true, 0L, null, millisSince(started), preview.retained());
                    }
                    Log.warnf("%s reported a successful deletion but its preview still shows %d rows: %s", name, remaining, counts);
                    return new ServiceResult(name, ServiceResult.FAILED, false, remaining, "verification failed: the DELETE succeeded but the preview still shows "
                            + remaining + " rows " + counts, millisSince(started));
                })
                .onFailure(CallFailure.class).recoverWithItem(f -> new ServiceResult(name, ServiceResult.FAILED, false, null,
                        "not verified: the DELETE succeeded but the verification preview failed: " + f.getMessage(), millisSince(started)));
    }

    /**
     * One DELETE under its own span (attempt, call number, service, outcome), sent from a context where that span
     * is current, so the HTTP client span and its traceparent header are its children.
     */
    private Uni<DeleteAnswer> tracedDelete(Context trace, RegisteredService service, UUID tenant, String key, int attempt, int call) {
        Span span = tracing.startCall(trace, service.name(), attempt, call);
        return inTrace(trace.with(span), () -> timed(service, () -> client.delete(service, tenant, key), true))
                .onItemOrFailure().invoke((answer, failure) -> JobTracing.endCall(span, failure == null ? "success"
                        : failure instanceof CallFailure f ? f.kind().outcome() : "error"));
    }

    /** The pipeline on a context of its own whose current trace context is {@code trace}. */
    private <T> Uni<T> inTrace(Context trace, Supplier<Uni<T>> pipeline) {
        return LogContext.with(vertx, Map.of(), pipeline, trace);
    }

    private <T> Uni<T> timed(RegisteredService service, Supplier<Uni<T>> call, boolean isDelete) {
        long started = System.nanoTime();
        return call.get()
                .onItem().invoke(() -> {
                    if (isDelete) {
                        metrics.serviceCall(service.name(), "success", Duration.ofNanos(System.nanoTime() - started));
                    }
                })
                .onFailure(CallFailure.class).invoke(f -> {
                    CallFailure failure = (CallFailure) f;
                    if (isDelete) {
                        metrics.serviceCall(service.name(), failure.kind().outcome(), Duration.ofNanos(System.nanoTime() - started));
                    }
                    if (failure.kind() == CallFailure.Kind.TIMEOUT) {
                        metrics.timeout(service.name());
                    }
                });
    }

    private ServiceResult failed(RegisteredService service, CallFailure failure, int attempts, long started) {
        String status = failure.kind() == CallFailure.Kind.TIMEOUT ? ServiceResult.TIMED_OUT : ServiceResult.FAILED;
        String retried = failure.kind().retryable()
                ? " (attempt " + attempts + " of " + policy.maxAttempts() + ")"
                : " (not retried: " + failure.kind().outcome() + ")";
        Log.warnf("deletion in %s %s: %s%s", service.name(), status, failure.getMessage(), retried);
        return new ServiceResult(service.name(), status, false, null, failure.getMessage() + retried, millisSince(started));
    }

    /** A listener call whose failure abandons the run instead of failing one service. */
    private static Uni<Void> record(Supplier<Uni<Void>> call) {
        return Uni.createFrom().deferred(call::get)
                .onFailure(f -> !(f instanceof RunAbandoned))
                .transform(f -> new RunAbandoned("progress could not be recorded: " + f.getMessage(), f));
    }

    private static long millisSince(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
