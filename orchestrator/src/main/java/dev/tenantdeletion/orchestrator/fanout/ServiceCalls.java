package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one service's pipeline keeps between its calls in a claim: whom it calls and under which key, the calls
 * and attempts so far, the progress of the last answer and the tables the answers named. The pipeline's steps run
 * one after another but on different threads, hence the atomics; only this class changes them.
 */
final class ServiceCalls {

    /**
     * Answers {@code complete: false} in a row that delete nothing more before the service is failed: a
     * service that keeps asking to be called again without making progress would otherwise loop forever.
     */
    static final int MAX_CALLS_WITHOUT_PROGRESS = 20;

    private final UUID jobId;
    private final RegisteredService service;
    private final UUID tenant;
    private final String key;
    private final FanoutListener listener;
    private final int maxCalls;
    private final long started = System.nanoTime();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicBoolean firstCall = new AtomicBoolean(true);
    private final AtomicLong lastTotal = new AtomicLong(-1);
    private final AtomicInteger withoutProgress = new AtomicInteger();
    /** Every table a DELETE answer named: the verification preview must list each of them. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    ServiceCalls(UUID jobId, RegisteredService service, UUID tenant, String key, FanoutListener listener, int maxCalls) {
        this.maxCalls = maxCalls;
        this.jobId = jobId;
        this.service = service;
        this.tenant = tenant;
        this.key = key;
        this.listener = listener;
    }

    /** The job these calls are for: every failure's log line names it. */
    UUID jobId() {
        return jobId;
    }

    RegisteredService service() {
        return service;
    }

    String name() {
        return service.name();
    }

    UUID tenant() {
        return tenant;
    }

    /** The job's Idempotency-Key for this service. */
    String key() {
        return key;
    }

    FanoutListener listener() {
        return listener;
    }

    /** True once: for the claim's first DELETE call to the service, false for every later one. */
    boolean firstCall() {
        return firstCall.getAndSet(false);
    }

    /** Attempt {@code attempt} of the current call begins (the failed result reports the last one). */
    void attemptStarted(int attempt) {
        attempts.set(attempt);
    }

    int attempts() {
        return attempts.get();
    }

    /** The number of the call about to be sent, from 1, counting continuations and retries alike. */
    int nextCall() {
        return sent.incrementAndGet();
    }

    void reported(Collection<String> tables) {
        reported.addAll(tables);
    }

    Set<String> reported() {
        return reported;
    }

    /**
     * Fails the service (invalid response) after {@link #MAX_CALLS_WITHOUT_PROGRESS} answers in a row that
     * ask to be called again without any more rows deleted.
     */
    void checkProgress(DeleteAnswer answer) {
        long total = Counts.total(answer.deletedCounts());
        long previous = lastTotal.getAndSet(total);
        if (!answer.complete() && sent.get() >= maxCalls) {
            // rows keep coming as fast as they go (review 2026-12-04 #7): a bound, not a job that never ends
            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, name() + " still answered complete=false after " + maxCalls
                    + " calls (deletion.jobs.max-calls): the tenant's data may still be being written");
        }
        if (answer.complete() || total != previous) {
            withoutProgress.set(0);
            return;
        }
        if (withoutProgress.incrementAndGet() >= MAX_CALLS_WITHOUT_PROGRESS) {
            throw new CallFailure(CallFailure.Kind.INVALID_RESPONSE, name() + " answered complete=false "
                    + MAX_CALLS_WITHOUT_PROGRESS + " times in a row without deleting anything more");
        }
    }

    /** How long the service's pipeline has been running in this claim. */
    long elapsedMillis() {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
