package dev.tenantdeletion.orchestrator.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures are retried, how often, and how long the waits are. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(35));

    @Test
    void backoffDoublesUpToTheCapWithAtMostTwentyPercentJitter() {
        long[] base = {10, 20, 35, 35, 35};
        for (int attempt = 1; attempt <= base.length; attempt++) {
            long wait = policy.backoff(attempt).toMillis();
            assertTrue(wait >= base[attempt - 1] && wait <= base[attempt - 1] * 1.2, "attempt " + attempt + ": " + wait);
        }
        assertEquals(Duration.ofMillis(4 * 1000 + 12 + 24 + 42), policy.worstCase(Duration.ofSeconds(1)));
    }

    @Test
    void retryableFailuresAreRetriedUntilTheAttemptsAreUsedUp() {
        for (CallFailure.Kind kind : List.of(CallFailure.Kind.TIMEOUT, CallFailure.Kind.CONNECTION, CallFailure.Kind.SERVER_ERROR)) {
            AtomicInteger attempts = new AtomicInteger();
            List<Integer> retried = new ArrayList<>();
            CallFailure last = new CallFailure(kind, "last");
            CallFailure thrown = assertThrows(CallFailure.class, () -> policy.<String>run(n -> {
                attempts.incrementAndGet();
                return Uni.createFrom().failure(n == 4 ? last : new CallFailure(kind, "attempt " + n));
            }, (n, f) -> retried.add(n)).await().atMost(Duration.ofSeconds(5)));
            assertSame(last, thrown, "the last attempt's failure is the one reported");
            assertEquals(4, attempts.get(), kind.name());
            assertEquals(List.of(1, 2, 3), retried);
        }
    }

    @Test
    void clientErrorsAndInvalidAnswersAreNeverRetried() {
        for (CallFailure.Kind kind : List.of(CallFailure.Kind.CLIENT_ERROR, CallFailure.Kind.INVALID_RESPONSE)) {
            AtomicInteger attempts = new AtomicInteger();
            assertThrows(CallFailure.class, () -> policy.<String>run(n -> {
                attempts.incrementAndGet();
                return Uni.createFrom().failure(new CallFailure(kind, "no"));
            }, (n, f) -> { }).await().atMost(Duration.ofSeconds(5)));
            assertEquals(1, attempts.get(), kind.name());
        }
    }

    @Test
    void aSuccessAfterFailuresEndsTheRetries() {
        AtomicInteger attempts = new AtomicInteger();
        String result = policy.<String>run(n -> {
            attempts.incrementAndGet();
            return n < 3 ? Uni.createFrom().failure(new CallFailure(CallFailure.Kind.SERVER_ERROR, "503"))
                    : Uni.createFrom().item("ok after " + n);
        }, (n, f) -> { }).await().atMost(Duration.ofSeconds(5));
        assertEquals("ok after 3", result);
        assertEquals(3, attempts.get());
    }

    @Test
    void aNullAnswerIsAnAnswerAndEachSubscriptionStartsAtAttemptOne() {
        List<Integer> numbers = new ArrayList<>();
        Uni<Void> call = policy.<Void>run(n -> {
            numbers.add(n);
            return n == 1 ? Uni.createFrom().failure(new CallFailure(CallFailure.Kind.TIMEOUT, "slow")) : Uni.createFrom().voidItem();
        }, (n, f) -> { });
        assertEquals(null, call.await().atMost(Duration.ofSeconds(5)));
        assertEquals(null, call.await().atMost(Duration.ofSeconds(5)));
        assertEquals(List.of(1, 2, 1, 2), numbers);
    }
}
