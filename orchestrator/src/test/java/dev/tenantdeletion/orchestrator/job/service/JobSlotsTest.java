package dev.tenantdeletion.orchestrator.job.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.orchestrator.support.TestSettings;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A claim whose every unfinished service waits out a backoff lends its slot (another job can start), takes one back
 * when a call is due, and never more than max-concurrent slots are lent at a time.
 */
class JobSlotsTest {

    @Test
    void aClaimLendsItsSlotOnlyWhileAllItsUnfinishedServicesWait() {
        JobSlots slots = new JobSlots(TestSettings.with(Map.of("deletion.jobs.max-concurrent", "2")));
        AtomicInteger freed = new AtomicInteger();
        slots.onFreed(freed::incrementAndGet);
        assertEquals(2, slots.reserve(5));
        JobSlots.ClaimSlot a = slots.claim();
        a.pipelines(3);

        a.waiting(true);
        a.waiting(true);
        assertEquals(0, slots.reserve(1), "one service still calls: the slot is in use");
        a.finished();
        assertEquals(1, slots.lent(), "two waiting, one finished: nothing is being done");
        assertEquals(1, freed.get(), "the scheduler heard of the free slot");
        assertEquals(1, slots.reserve(1), "another job gets it");

        a.waiting(false);
        assertEquals(0, slots.lent(), "a call is due: the claim takes a slot back at once");
        assertEquals(0, slots.reserve(1), "3 claims hold slots now, over max-concurrent until one ends");
        a.end();
        slots.release(1); // the other two claims end
        slots.release(1);
        assertEquals(2, slots.reserve(5), "every slot is back");
    }

    @Test
    void atMostMaxConcurrentSlotsAreLentAndALentClaimThatEndsOwesNothing() {
        JobSlots slots = new JobSlots(TestSettings.with(Map.of("deletion.jobs.max-concurrent", "1")));
        assertEquals(1, slots.reserve(1));
        JobSlots.ClaimSlot a = slots.claim();
        a.pipelines(1);
        a.waiting(true);
        assertEquals(1, slots.lent());
        assertEquals(1, slots.reserve(1));
        JobSlots.ClaimSlot b = slots.claim();
        b.pipelines(1);
        b.waiting(true);
        assertEquals(1, slots.lent(), "b keeps its slot: one lent slot is the limit here");
        a.end();
        assertEquals(0, slots.lent());
        b.waiting(false);
        b.end();
        assertEquals(1, slots.reserve(1), "the one slot is free again");
    }
}
