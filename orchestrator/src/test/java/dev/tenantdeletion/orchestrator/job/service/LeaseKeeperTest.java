package dev.tenantdeletion.orchestrator.job.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.time.SettableTime;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stall guard on a clock the test moves: each turn of the renewal timer is called directly, nothing sleeps. */
class LeaseKeeperTest {

    private static final Duration STALL_AFTER = Duration.ofSeconds(90);

    private final SettableTime time = new SettableTime();
    private final AtomicInteger renewals = new AtomicInteger();
    private final LeaseKeeper keeper = new LeaseKeeper(UUID.randomUUID(), () -> {
        renewals.incrementAndGet();
        return Uni.createFrom().item(true);
    }, STALL_AFTER, time);

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(LeaseKeeper.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(String.valueOf(record.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void renewsWhileTheClaimMakesProgress() {
        for (int turn = 0; turn < 5; turn++) {
            time.advance(Duration.ofSeconds(60));
            keeper.progress();
            keeper.renewUnlessStalled();
        }
        assertEquals(5, renewals.get());
        assertFalse(keeper.stalled());
    }

    @Test
    void stopsRenewingAfterTheStallLimitWithoutProgressWarnsOnceAndResumesWithProgress() {
        time.advance(STALL_AFTER);
        keeper.renewUnlessStalled();
        assertEquals(1, renewals.get(), "silent for exactly the stall limit: still renewed");
        assertFalse(keeper.stalled());

        time.advance(Duration.ofMillis(1));
        keeper.renewUnlessStalled();
        time.advance(Duration.ofSeconds(30));
        keeper.renewUnlessStalled();
        assertEquals(1, renewals.get(), "silent for longer than the stall limit: no renewal");
        assertTrue(keeper.stalled());
        assertEquals(1, warnings.stream().filter(w -> w.contains("made no progress")).count(), warnings.toString());

        keeper.progress();
        keeper.renewUnlessStalled();
        assertEquals(2, renewals.get(), "progress again: renewed again");
    }
}
