package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
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

    public Fanout(ServiceClient client, OrchestratorMetrics metrics, RetryPolicy policy, Vertx vertx, JobTracing tracing) {
        this.client = client;
        this.metrics = metrics;
        this.policy = policy;
        this.vertx = vertx;
        this.tracing = tracing;
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

    /** What one service's pipeline keeps between its calls. */
    private static final class Calls {
        final RegisteredService service;
        final UUID tenant;
        final String key;
        final FanoutListener listener;
        /** The run's trace context: every call span is its child (a call's callbacks run in the previous call's context). */
        final Context trace = Context.current();
        final long started = System.nanoTime();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicBoolean firstCall = new AtomicBoolean(true);
        final AtomicLong lastTotal = new AtomicLong(-1);
        final AtomicInteger withoutProgress = new AtomicInteger();
        /** Every table a DELETE answer named: the verification preview must list each of them. */
        final Set<String> reported = ConcurrentHashMap.newKeySet();

        Calls(RegisteredService service, UUID tenant, String key, FanoutListener listener) {
            this.service = service;
            this.tenant = tenant;
            this.key = key;
            this.listener = listener;
        }

        String name() {
            return service.name();
        }
    }

    /**
     * One service: expected items, DELETE calls (each retried) until complete, every answer recorded,
     * then verification with the preview and the result recorded.
     */
    Uni<ServiceResult> deleteFrom(RegisteredService service, UUID jobId, UUID tenant, boolean takeExpected, FanoutListener listener) {
        Calls calls = new Calls(service, tenant, service.idempotencyKey(jobId), listener);
        Uni<Void> expected = takeExpected ? inTrace(calls.trace, () -> expectedItems(service, tenant, listener)) : Uni.createFrom().voidItem();
        return expected
                // a continuation call follows at once, without backoff and without using up retries
                .chain(() -> repeatUntil(() -> deleteCall(calls), DeleteAnswer::complete))
                .chain(last -> inTrace(calls.trace, () -> verify(service, tenant, calls.reported, calls.started, listener)))
                .onFailure(CallFailure.class).recoverWithItem(f -> failed(service, (CallFailure) f, calls.attempts.get(), calls.started))
                .onFailure(f -> !(f instanceof RunAbandoned)).recoverWithItem(f -> unexpected(calls, f))
                .invoke(result -> Log.infof("%s finished: %s%s", calls.name(), result.status().value(),
                        result.verified() ? ", verified empty" : ""))
                .call(result -> record(() -> listener.finished(result)));
    }

    /** One DELETE call (the run's first, or a continuation after complete=false), retried as the policy allows. */
    private Uni<DeleteAnswer> deleteCall(Calls calls) {
        boolean first = calls.firstCall.getAndSet(false);
        return policy.<DeleteAnswer>run(attempt -> attempt(calls, attempt, first),
                        (attempt, failure) -> {
                            metrics.retry(calls.name());
                            Log.infof("retrying %s (attempt %d of %d failed: %s)", calls.name(), attempt, policy.maxAttempts(),
                                    failure.getMessage());
                        })
                .invoke(answer -> checkProgress(calls, answer));
    }

    /**
     * One attempt at a call: counted (a new attempt when it is the call's first of the run or a retry), sent
     * under its own span, and what it deleted recorded, whether by a 200 or committed before a 409/500.
     */
    private Uni<DeleteAnswer> attempt(Calls calls, int attempt, boolean firstOfRun) {
        calls.attempts.set(attempt);
        return record(() -> calls.listener.callStarted(calls.name(), firstOfRun || attempt > 1))
                .chain(() -> tracedDelete(calls.trace, calls.service, calls.tenant, calls.key, attempt, calls.sent.incrementAndGet()))
                .onFailure(CallFailure.class).call(f -> recordPartial(calls, ((CallFailure) f).partiallyDeleted()))
                .call(answer -> recordDeleted(calls, answer.deletedCounts()));
    }

    private Uni<Void> recordDeleted(Calls calls, Map<String, Long> counts) {
        calls.reported.addAll(counts.keySet());
        return record(() -> calls.listener.deleted(calls.name(), counts));
    }

    /** A failed call's committed rows; nothing to record when it names none. */
    private Uni<Void> recordPartial(Calls calls, Map<String, Long> partial) {
        return partial.isEmpty() ? Uni.createFrom().voidItem() : recordDeleted(calls, partial);
    }

    private ServiceResult unexpected(Calls calls, Throwable failure) {
        Log.errorf(failure, "unexpected failure while deleting from %s", calls.name());
        return ServiceResult.failed(calls.name(), "unexpected error: " + failure, millisSince(calls.started));
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

    private static void checkProgress(Calls calls, DeleteAnswer answer) {
        long total = Counts.total(answer.deletedCounts());
        long previous = calls.lastTotal.getAndSet(total);
        if (answer.complete() || total != previous) {
            calls.withoutProgress.set(0);
            return;
        }
        if (calls.withoutProgress.incrementAndGet() >= MAX_CALLS_WITHOUT_PROGRESS) {
            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, calls.name() + " answered complete=false "
                    + MAX_CALLS_WITHOUT_PROGRESS + " times in a row without deleting anything more");
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
                .map(Counts::total)
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
    private Uni<ServiceResult> verify(RegisteredService service, UUID tenant, Set<String> reported, long started,
            FanoutListener listener) {
        String name = service.name();
        return policy.run(attempt -> {
                            listener.alive(name);
                            return timedPreview(service, () -> client.previewWithRetained(service, tenant));
                        },
                        (attempt, failure) -> metrics.retry(name))
                .map(preview -> verified(name, preview, reported, millisSince(started)))
                .onFailure(CallFailure.class).recoverWithItem(f -> ServiceResult.failed(name,
                        "not verified: the DELETE succeeded but the verification preview failed: " + f.getMessage(), millisSince(started)));
    }

    /** What the verification preview says: every reported table listed, and none with rows left. */
    private static ServiceResult verified(String name, ServiceClient.Preview preview, Set<String> reported, long durationMs) {
        Map<String, Long> counts = preview.counts();
        Set<String> missing = new TreeSet<>(reported);
        missing.removeAll(counts.keySet());
        if (!missing.isEmpty()) {
            Log.warnf("%s reported a deletion from %s but its preview does not list them: %s", name, missing, counts);
            return ServiceResult.notListed(name, missing, durationMs);
        }
        long remaining = Counts.total(counts);
        if (remaining == 0) {
            return ServiceResult.completed(name, durationMs, preview.retained());
        }
        Log.warnf("%s reported a successful deletion but its preview still shows %d rows: %s", name, remaining, counts);
        return ServiceResult.notEmpty(name, remaining, counts, durationMs);
    }

    /**
     * One DELETE under its own span (attempt, call number, service, outcome), sent from a context where that span
     * is current, so the HTTP client span and its traceparent header are its children.
     */
    private Uni<DeleteAnswer> tracedDelete(Context trace, RegisteredService service, UUID tenant, String key, int attempt, int call) {
        Span span = tracing.startCall(trace, service.name(), attempt, call);
        return inTrace(trace.with(span), () -> timedDelete(service, () -> client.delete(service, tenant, key)))
                .onItemOrFailure().invoke((answer, failure) -> JobTracing.endCall(span, failure == null ? "success"
                        : failure instanceof CallFailure f ? f.kind().outcome() : "error"));
    }

    /** The pipeline on a context of its own whose current trace context is {@code trace}. */
    private <T> Uni<T> inTrace(Context trace, Supplier<Uni<T>> pipeline) {
        return LogContext.with(vertx, Map.of(), pipeline, trace);
    }

    /** A DELETE call: its duration and outcome go to the call metric, a timeout to the timeout counter too. */
    private Uni<DeleteAnswer> timedDelete(RegisteredService service, Supplier<Uni<DeleteAnswer>> call) {
        long started = System.nanoTime();
        return call.get()
                .onItem().invoke(() -> metrics.serviceCall(service.name(), "success", Duration.ofNanos(System.nanoTime() - started)))
                .onFailure(CallFailure.class).invoke(f -> {
                    CallFailure failure = (CallFailure) f;
                    metrics.serviceCall(service.name(), failure.kind().outcome(), Duration.ofNanos(System.nanoTime() - started));
                    countTimeout(service, failure);
                });
    }

    /** A verification preview: only a timeout is counted (the call metric is for DELETEs). */
    private <T> Uni<T> timedPreview(RegisteredService service, Supplier<Uni<T>> call) {
        return call.get().onFailure(CallFailure.class).invoke(f -> countTimeout(service, (CallFailure) f));
    }

    private void countTimeout(RegisteredService service, CallFailure failure) {
        if (failure.kind() == CallFailure.Kind.TIMEOUT) {
            metrics.timeout(service.name());
        }
    }

    private ServiceResult failed(RegisteredService service, CallFailure failure, int attempts, long started) {
        boolean timedOut = failure.kind() == CallFailure.Kind.TIMEOUT;
        String retried = failure.kind().retryable()
                ? " (attempt " + attempts + " of " + policy.maxAttempts() + ")"
                : " (not retried: " + failure.kind().outcome() + ")";
        Log.warnf("deletion in %s %s: %s%s", service.name(), timedOut ? ServiceStatus.TIMED_OUT.value() : ServiceStatus.FAILED.value(),
                failure.getMessage(), retried);
        String error = failure.getMessage() + retried;
        return timedOut ? ServiceResult.timedOut(service.name(), error, millisSince(started))
                : ServiceResult.failed(service.name(), error, millisSince(started));
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
