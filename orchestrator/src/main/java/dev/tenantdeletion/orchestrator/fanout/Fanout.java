package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Deletes a tenant from several services at once. Each service gets its own Mutiny pipeline — the
 * expected-items preview (until a first DELETE was sent), DELETE calls under the job's Idempotency-Key until the service
 * answers {@code complete}, each call with its own timeout and retries, then a verification preview — and
 * its result is handed to the listener the moment it is known, so a slow or dead service never holds back
 * the others.
 */
@ApplicationScoped
public class Fanout {

    private final ServiceClient client;
    private final OrchestratorMetrics metrics;
    private final RetryPolicy policy;
    private final Vertx vertx;
    private final JobTracing tracing;
    private final int maxCalls;

    public Fanout(ServiceClient client, OrchestratorMetrics metrics, RetryPolicy policy, Vertx vertx, JobTracing tracing,
            OrchestratorSettings settings) {
        this.maxCalls = settings.jobs().maxCalls();
        this.client = client;
        this.metrics = metrics;
        this.policy = policy;
        this.vertx = vertx;
        this.tracing = tracing;
    }

    /** One service of a claim; {@code takeExpected}: no DELETE was ever sent for it, so its preview is the expected figure. */
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
        // fail fast only on an abandoned claim (the pipelines recover every service failure themselves)
        return Uni.join().all(pipelines).andFailFast();
    }

    /**
     * One service: expected items, DELETE calls (each retried) until complete, every answer recorded,
     * then verification with the preview and the result recorded.
     */
    Uni<ServiceResult> deleteFrom(RegisteredService service, UUID jobId, UUID tenant, boolean takeExpected, FanoutListener listener) {
        ServiceCalls calls = new ServiceCalls(jobId, service, tenant, service.idempotencyKey(jobId), listener, maxCalls);
        CallTelemetry telemetry = new CallTelemetry(metrics, tracing, vertx, service.name());
        Uni<Void> expected = takeExpected ? telemetry.inTrace(() -> expectedItems(calls)) : Uni.createFrom().voidItem();
        return expected
                // a continuation call follows at once, without backoff and without using up retries
                .chain(() -> repeatUntil(() -> deleteCall(calls, telemetry), DeleteAnswer::complete))
                .chain(last -> telemetry.inTrace(() -> verify(calls, telemetry)))
                .onFailure(CallFailure.class).recoverWithItem(f -> ServiceResults.failed(calls, (CallFailure) f, policy))
                .onFailure(f -> !(f instanceof ClaimAbandoned)).recoverWithItem(f -> ServiceResults.unexpected(calls, f))
                .invoke(result -> Log.infof("%s finished: %s%s", calls.name(), result.status().value(),
                        result.verified() ? ", verified empty" : ""))
                .call(result -> record(() -> listener.finished(result)));
    }

    /**
     * The rows the service holds before its first DELETE (items_expected). One attempt with the service's
     * timeout, inside the service's own pipeline so a slow service delays nobody else; when it fails the
     * figure stays unknown and the deletion goes ahead.
     */
    private Uni<Void> expectedItems(ServiceCalls calls) {
        calls.listener().alive(calls.name());
        return client.preview(calls.service(), calls.tenant())
                .map(Counts::total)
                .onFailure(CallFailure.class).recoverWithItem(f -> {
                    Log.warnf("job %s: items expected from %s unknown (its preview failed: %s; %s); deleting anyway", calls.jobId(),
                            calls.name(), f.getMessage(), ((CallFailure) f).detail());
                    return null;
                })
                .chain(items -> items == null ? Uni.createFrom().voidItem()
                        : record(() -> calls.listener().expected(calls.name(), items)));
    }

    /** One DELETE call (the claim's first, or a continuation after complete=false), retried as the policy allows. */
    private Uni<DeleteAnswer> deleteCall(ServiceCalls calls, CallTelemetry telemetry) {
        boolean first = calls.firstCall();
        return policy.<DeleteAnswer>run(attempt -> attempt(calls, telemetry, attempt, first),
                        (attempt, failure) -> {
                            telemetry.retried();
                            Log.infof("job %s: retrying %s (attempt %d failed: %s; %s; retried %s)", calls.jobId(), calls.name(),
                                    attempt, failure.getMessage(), failure.detail(), failure.unavailable()
                                            ? "until the retry horizon " + policy.horizon() + " has passed"
                                            : "up to " + policy.maxAttempts() + " attempts");
                        },
                        // a call waiting out a backoff needs no job slot (the claim lends it while all its services wait)
                        waiting -> calls.listener().waiting(calls.name(), waiting))
                .invoke(calls::checkProgress);
    }

    /**
     * One attempt at a call: counted (a new attempt when it is the call's first of the claim or a retry), sent
     * under its own span, and what it deleted recorded, whether by a 200 or committed before a 409/500.
     */
    private Uni<DeleteAnswer> attempt(ServiceCalls calls, CallTelemetry telemetry, int attempt, boolean firstOfClaim) {
        calls.attemptStarted(attempt);
        return record(() -> calls.listener().callStarted(calls.name(), firstOfClaim || attempt > 1))
                .chain(() -> telemetry.delete(attempt, calls.nextCall(),
                        () -> client.delete(calls.service(), calls.tenant(), calls.key())))
                .onFailure(CallFailure.class).call(f -> recordPartial(calls, (CallFailure) f))
                .call(answer -> recordDeleted(calls, answer.receipt(), answer.deletedCounts()));
    }

    private Uni<Void> recordDeleted(ServiceCalls calls, String receipt, Map<String, Long> counts) {
        calls.reported(counts.keySet());
        return record(() -> calls.listener().deleted(calls.name(), receipt, counts));
    }

    /** A failed call's committed rows; nothing to record when it names none. */
    private Uni<Void> recordPartial(ServiceCalls calls, CallFailure failure) {
        return failure.partiallyDeleted().isEmpty() ? Uni.createFrom().voidItem()
                : recordDeleted(calls, failure.receipt(), failure.partiallyDeleted());
    }

    /**
     * After the service reported complete: its preview must list every table a DELETE answer named (a
     * preview that leaves one out could hide rows) and show zero rows in all of them.
     */
    private Uni<ServiceResult> verify(ServiceCalls calls, CallTelemetry telemetry) {
        return policy.run(attempt -> {
                            calls.listener().alive(calls.name());
                            return telemetry.preview(() -> client.previewWithRetained(calls.service(), calls.tenant()));
                        },
                        (attempt, failure) -> telemetry.retried())
                .map(preview -> ServiceResults.verified(calls.name(), preview, calls.reported(), calls.elapsedMillis()))
                .onFailure(CallFailure.class).recoverWithItem(f -> ServiceResults.notVerified(calls, (CallFailure) f));
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

    /** A listener call whose failure abandons the claim instead of failing one service. */
    private static Uni<Void> record(Supplier<Uni<Void>> call) {
        return Uni.createFrom().deferred(call::get)
                .onFailure(f -> !(f instanceof ClaimAbandoned))
                .transform(f -> new ClaimAbandoned("progress could not be recorded: " + f.getMessage(), f));
    }
}
