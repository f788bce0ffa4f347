package dev.tenantdeletion.orchestrator.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop of continuation calls is iterative: a tenant that needs very many calls cannot overflow the stack. */
class RepeatUntilTest {

    @Test
    void aHundredThousandSynchronousCallsDoNotGrowTheStack() {
        AtomicInteger calls = new AtomicInteger();
        int last = Fanout.repeatUntil(() -> Uni.createFrom().item(calls.incrementAndGet()), n -> n >= 100_000)
                .await().atMost(Duration.ofSeconds(30));
        assertEquals(100_000, last, "the item that ends the loop is the one given");
        assertEquals(100_000, calls.get());
    }

    @Test
    void tenThousandAsynchronousCallsCompleteOnAnotherThread() {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger calls = new AtomicInteger();
            int last = Fanout.repeatUntil(() -> Uni.createFrom().item(calls::incrementAndGet).emitOn(other), n -> n >= 10_000)
                    .await().atMost(Duration.ofSeconds(30));
            assertEquals(10_000, last);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void theBudgetIsHalfTheTimeoutWithinTheContractsBounds() {
        assertEquals(500, service(Duration.ofSeconds(1)).deleteBudgetMillis());
        assertEquals(15_000, service(Duration.ofSeconds(30)).deleteBudgetMillis());
        assertEquals(100, service(Duration.ofMillis(150)).deleteBudgetMillis());
        assertEquals(600_000, service(Duration.ofMinutes(30)).deleteBudgetMillis());
        UUID job = UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        assertEquals("7c9e6679-7425-40de-944b-e07fc1f90ae7:pos-service", service(Duration.ofSeconds(1)).idempotencyKey(job));
    }

    @Test
    void retryAfterIsWaitedForUpToItsCap() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));
        CallFailure busy = new CallFailure(CallFailure.Kind.SERVER_ERROR, "503 deletion_in_progress", java.util.Map.of(),
                Duration.ofSeconds(2), null);
        assertEquals(Duration.ofSeconds(2), policy.waitAfter(1, busy));
        CallFailure wild = new CallFailure(CallFailure.Kind.SERVER_ERROR, "503", java.util.Map.of(), Duration.ofHours(1), null);
        assertEquals(policy.retryAfterCap(), policy.waitAfter(1, wild));
        assertEquals(true, policy.waitAfter(1, new CallFailure(CallFailure.Kind.SERVER_ERROR, "500")).toMillis() <= 12);
    }

    private static RegisteredService service(Duration timeout) {
        return new RegisteredService("pos-service", "http://127.0.0.1:1/api/v1/pos", timeout);
    }
}
