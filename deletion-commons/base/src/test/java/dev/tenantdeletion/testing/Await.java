package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until something is there: spans a batch processor exports a moment later, a gauge refreshed in the background. */
public final class Await {

    private Await() {
    }

    /** The first non-null answer of {@code found} within {@code within}, polled every 100 ms; fails with {@code what} otherwise. */
    public static <T> T until(Supplier<T> found, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail(what + " did not happen within " + within);
    }
}
