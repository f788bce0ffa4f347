package dev.tenantdeletion.orchestrator.fanout;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Capped exponential backoff with jitter for service calls, retrying only failures a retry can cure (timeouts,
 * connection errors, 5xx — never 4xx). A failure that says the service is not there for now (refused or lost
 * connection, timeout, 502/503/504: a restart or a rolling deploy) is retried until {@code horizon} has passed since
 * the call's first attempt, however many attempts that takes; any other retryable failure (a 500: the service's own
 * fault, which a redeploy does not cure) gets {@code maxAttempts} attempts. Either way at least {@code maxAttempts}.
 * The wait doubles from {@code initialBackoff}, capped at {@code maxBackoff}, plus up to 20% jitter so that replicas
 * and jobs do not retry in lockstep; a longer {@code Retry-After} is honoured up to {@link #retryAfterCap()}. Waiting
 * is a Mutiny delay: no thread sleeps.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration horizon) {

    /** Without a horizon: {@code maxAttempts} attempts whatever the failure. */
    public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(maxAttempts, initialBackoff, maxBackoff, Duration.ZERO);
    }

    /** Hears when a call starts and ends waiting before its next attempt (a waiting call needs no job slot). */
    public interface Waits {
        Waits NONE = waiting -> { };

        void waiting(boolean waiting);
    }

    /**
     * Runs {@code attempt} (given the attempt number, from 1) until it succeeds, fails for good, or the
     * attempts are used up; {@code beforeRetry} hears of each failure that will be retried. The attempts are a
     * Mutiny repetition, as every "again until done" in the engine and the fan-out: one attempt after another,
     * no stack frame or chain kept per attempt.
     */
    public <T> Uni<T> run(IntFunction<Uni<T>> attempt, BiConsumer<Integer, CallFailure> beforeRetry) {
        return run(attempt, beforeRetry, Waits.NONE);
    }

    /** As {@link #run(IntFunction, BiConsumer)}, telling {@code waits} when each wait before a retry starts and ends. */
    public <T> Uni<T> run(IntFunction<Uni<T>> attempt, BiConsumer<Integer, CallFailure> beforeRetry, Waits waits) {
        // deferred: each subscription counts its own attempts from 1 and its horizon from its own first attempt
        return Uni.createFrom().deferred(() -> {
            AtomicInteger number = new AtomicInteger();
            long firstAttempt = System.nanoTime();
            return Multi.createBy().repeating()
                    .uni(() -> attempt(attempt, beforeRetry, waits, number.incrementAndGet(), firstAttempt))
                    .whilst(Attempt::again)
                    .collect().last()
                    .map(Attempt::value);
        });
    }

    /** Whether attempt {@code number}, failed with {@code failure} {@code elapsed} after the first attempt began, is retried. */
    public boolean retries(int number, CallFailure failure, Duration elapsed) {
        if (!failure.kind().retryable()) {
            return false;
        }
        return number < maxAttempts || failure.unavailable() && elapsed.compareTo(horizon) < 0;
    }

    /** Attempt {@code number}: its answer, or, after the wait, another attempt; a failure for good fails the Uni. */
    private <T> Uni<Attempt<T>> attempt(IntFunction<Uni<T>> attempt, BiConsumer<Integer, CallFailure> beforeRetry, Waits waits,
            int number, long firstAttempt) {
        return Uni.createFrom().deferred(() -> attempt.apply(number))
                .map(Attempt::answered)
                .onFailure(f -> f instanceof CallFailure failure
                        && retries(number, failure, Duration.ofNanos(System.nanoTime() - firstAttempt)))
                .recoverWithUni(failure -> {
                    beforeRetry.accept(number, (CallFailure) failure);
                    waits.waiting(true);
                    return Uni.createFrom().item(Attempt.<T>retry())
                            .onItem().delayIt().by(waitAfter(number, (CallFailure) failure))
                            .onTermination().invoke(() -> waits.waiting(false));
                });
    }

    /** What one attempt ended with: an answer (possibly null), or the need for another attempt. */
    private record Attempt<T>(T value, boolean again) {

        static <T> Attempt<T> answered(T value) {
            return new Attempt<>(value, false);
        }

        static <T> Attempt<T> retry() {
            return new Attempt<>(null, true);
        }
    }

    /** The longest Retry-After honoured: a service asking for more is called again after this long. */
    public Duration retryAfterCap() {
        return maxBackoff.compareTo(MIN_RETRY_AFTER_CAP) > 0 ? maxBackoff : MIN_RETRY_AFTER_CAP;
    }

    private static final Duration MIN_RETRY_AFTER_CAP = Duration.ofSeconds(10);

    /**
     * The wait after failed attempt {@code number}: the backoff, or the service's Retry-After when that is
     * longer (503 deletion_in_progress: another call holds the tenant's lock; calling sooner only gets
     * another 503), capped by {@link #retryAfterCap()} so a wild header cannot park a job.
     */
    public Duration waitAfter(int number, CallFailure failure) {
        Duration backoff = backoff(number);
        Duration asked = failure.retryAfter();
        if (asked == null) {
            return backoff;
        }
        Duration capped = asked.compareTo(retryAfterCap()) > 0 ? retryAfterCap() : asked;
        return capped.compareTo(backoff) > 0 ? capped : backoff;
    }

    /** The longest single wait between two attempts. */
    public Duration longestWait() {
        Duration backoff = Duration.ofMillis(maxBackoff.toMillis() + maxBackoff.toMillis() / 5);
        return backoff.compareTo(retryAfterCap()) > 0 ? backoff : retryAfterCap();
    }

    /** The wait after failed attempt {@code number} (1-based). */
    public Duration backoff(int number) {
        long wait = capped(number);
        long jitter = (long) (wait * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(wait + jitter);
    }

    private long capped(int number) {
        double wait = initialBackoff.toMillis() * Math.pow(2, number - 1);
        return (long) Math.min(wait, maxBackoff.toMillis());
    }

    /** The longest a call can take with every attempt timing out and every wait at its maximum. */
    public Duration worstCase(Duration timeout) {
        Duration total = timeout.multipliedBy(maxAttempts);
        for (int n = 1; n < maxAttempts; n++) {
            long base = capped(n);
            total = total.plusMillis(base + base / 5);
        }
        return total;
    }
}
