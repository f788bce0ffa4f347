package dev.tenantdeletion.orchestrator.fanout;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Exponential backoff for service calls: up to {@code maxAttempts} attempts, retrying only failures a
 * retry can cure (timeouts, connection errors, 5xx — never 4xx). The wait doubles from
 * {@code initialBackoff}, capped at {@code maxBackoff}, plus up to 20% jitter so that replicas and jobs
 * do not retry in lockstep. Waiting is a Mutiny delay: no thread sleeps.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /**
     * Runs {@code attempt} (given the attempt number, from 1) until it succeeds, fails for good, or the
     * attempts are used up; {@code beforeRetry} hears of each failure that will be retried.
     */
    public <T> Uni<T> run(IntFunction<Uni<T>> attempt, BiConsumer<Integer, CallFailure> beforeRetry) {
        return run(attempt, beforeRetry, 1);
    }

    private <T> Uni<T> run(IntFunction<Uni<T>> attempt, BiConsumer<Integer, CallFailure> beforeRetry, int number) {
        return Uni.createFrom().deferred(() -> attempt.apply(number))
                .onFailure(f -> f instanceof CallFailure failure && failure.kind().retryable() && number < maxAttempts)
                .recoverWithUni(failure -> {
                    beforeRetry.accept(number, (CallFailure) failure);
                    return Uni.createFrom().voidItem()
                            .onItem().delayIt().by(waitAfter(number, (CallFailure) failure))
                            .chain(() -> run(attempt, beforeRetry, number + 1));
                });
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
