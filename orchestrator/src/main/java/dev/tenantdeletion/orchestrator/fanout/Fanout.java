package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.logging.LogContext;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Deletes a tenant from several services at once. Each service gets its own Mutiny pipeline —
 * DELETE with its own timeout and retries, then a verification preview — and its result is handed to
 * the listener the moment it is known, so a slow or dead service never holds back the others.
 */
@ApplicationScoped
public class Fanout {

    private final ServiceClient client;
    private final OrchestratorMetrics metrics;
    private final RetryPolicy policy;
    private final Vertx vertx;

    public Fanout(ServiceClient client, OrchestratorMetrics metrics, ServiceRegistry registry, Vertx vertx) {
        this.client = client;
        this.vertx = vertx;
        this.metrics = metrics;
        this.policy = new RetryPolicy(registry.retry().maxAttempts(), registry.retry().initialBackoff(),
                registry.retry().maxBackoff());
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** Runs every service's pipeline in parallel; completes when all are recorded. */
    public Uni<List<ServiceResult>> deleteEverywhere(UUID tenant, List<RegisteredService> services, FanoutListener listener) {
        if (services.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // each service's pipeline logs under its own name (MDC "service"), next to the job's job_id and tenant_id
        List<Uni<ServiceResult>> pipelines = services.stream()
                .map(s -> LogContext.with(vertx, Map.of("service", s.name()), () -> deleteFrom(s, tenant, listener)))
                .toList();
        // fail fast only on an abandoned run (the pipelines recover every service failure themselves)
        return Uni.join().all(pipelines).andFailFast();
    }

    /** One service: DELETE (retried), record the counts, verify with the preview, record the result. */
    Uni<ServiceResult> deleteFrom(RegisteredService service, UUID tenant, FanoutListener listener) {
        long started = System.nanoTime();
        AtomicInteger attempts = new AtomicInteger();
        String name = service.name();
        return policy.<Map<String, Long>>run(
                        attempt -> {
                            attempts.set(attempt);
                            return record(() -> listener.attemptStarted(name, attempt))
                                    .chain(() -> timedDelete(service, tenant))
                                    .onFailure(CallFailure.class).call(f -> {
                                        Map<String, Long> partial = ((CallFailure) f).partiallyDeleted();
                                        boolean any = partial.values().stream().anyMatch(n -> n > 0);
                                        return any ? record(() -> listener.deleted(name, partial)) : Uni.createFrom().voidItem();
                                    });
                        },
                        (attempt, failure) -> {
                            metrics.retry(name);
                            Log.infof("retrying %s (attempt %d of %d failed: %s)", name, attempt, policy.maxAttempts(),
                                    failure.getMessage());
                        })
                // the counts are stored while the verification preview runs: both must succeed, neither waits
                .chain(counts -> Uni.combine().all()
                        .unis(record(() -> listener.deleted(name, counts)), verify(service, tenant, started))
                        .with((recorded, verified) -> verified))
                .onFailure(CallFailure.class).recoverWithItem(f -> failed(service, (CallFailure) f, attempts.get(), started))
                .onFailure(f -> !(f instanceof RunAbandoned)).recoverWithItem(f -> {
                    Log.errorf(f, "unexpected failure while deleting from %s", name);
                    return new ServiceResult(name, ServiceResult.FAILED, false, null, "unexpected error: " + f, millisSince(started));
                })
                .invoke(result -> Log.infof("%s finished: %s%s", name, result.status(), result.verified() ? ", verified empty" : ""))
                .call(result -> record(() -> listener.finished(result)));
    }

    /** After a successful DELETE: the service must now report zero rows for the tenant. */
    private Uni<ServiceResult> verify(RegisteredService service, UUID tenant, long started) {
        String name = service.name();
        return policy.run(attempt -> timed(service, () -> client.preview(service, tenant), false),
                        (attempt, failure) -> metrics.retry(name))
                .map(counts -> {
                    long remaining = counts.values().stream().mapToLong(Long::longValue).sum();
                    if (remaining == 0) {
                        return new ServiceResult(name, ServiceResult.COMPLETED, true, 0L, null, millisSince(started));
                    }
                    Log.warnf("%s reported a successful deletion but its preview still shows %d rows: %s", name, remaining, counts);
                    return new ServiceResult(name, ServiceResult.FAILED, false, remaining, "verification failed: the DELETE succeeded but the preview still shows "
                            + remaining + " rows " + counts, millisSince(started));
                })
                .onFailure(CallFailure.class).recoverWithItem(f -> new ServiceResult(name, ServiceResult.FAILED, false, null,
                        "not verified: the DELETE succeeded but the verification preview failed: " + f.getMessage(), millisSince(started)));
    }

    private Uni<Map<String, Long>> timedDelete(RegisteredService service, UUID tenant) {
        return timed(service, () -> client.delete(service, tenant), true);
    }

    private Uni<Map<String, Long>> timed(RegisteredService service, Supplier<Uni<Map<String, Long>>> call, boolean isDelete) {
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
