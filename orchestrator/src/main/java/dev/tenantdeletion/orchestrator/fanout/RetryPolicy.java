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
                            .onItem().delayIt().by(backoff(number))
                            .chain(() -> run(attempt, beforeRetry, number + 1));
                });
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
