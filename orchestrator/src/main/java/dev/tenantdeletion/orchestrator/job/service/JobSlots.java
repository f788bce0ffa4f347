package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's job slots ({@code deletion.jobs.max-concurrent}). A claim whose every unfinished service is waiting
 * out a backoff (a service restarting or redeploying, retried for the retry horizon) does nothing but wait on a
 * timer: it lends its slot, so a pending job can run meanwhile, and takes a slot back the moment one of its calls is
 * due. Taking back never waits: the replica may then run more than max-concurrent claims for a while, but never more
 * than twice as many, since at most max-concurrent slots are lent at a time (a claim that cannot lend keeps its slot).
 */
@ApplicationScoped
public class JobSlots {

    private final int max;
    /** Slots taken: claims in flight that hold one, plus claims under way (reserved before the claim is sent). */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Claims in flight whose slot is lent. */
    private final AtomicInteger lent = new AtomicInteger();
    private volatile Runnable onFreed = () -> { };

    public JobSlots(OrchestratorSettings settings) {
        this.max = settings.jobs().maxConcurrent();
    }

    /** What runs when a lent slot is free for another job (the scheduler's sweep). */
    void onFreed(Runnable onFreed) {
        this.onFreed = onFreed;
    }

    /** Takes up to {@code wanted} free slots; how many it got. */
    int reserve(int wanted) {
        while (true) {
            int taken = reserved.get();
            int granted = Math.min(wanted, max - taken);
            if (granted <= 0) {
                return 0;
            }
            if (reserved.compareAndSet(taken, taken + granted)) {
                return granted;
            }
        }
    }

    void release(int slots) {
        if (slots > 0) {
            reserved.addAndGet(-slots);
        }
    }

    /** Claims in flight whose slot is lent while all their services wait. */
    public int lent() {
        return lent.get();
    }

    /** The slot of a claim just launched (it holds one). */
    ClaimSlot claim() {
        return new ClaimSlot(this);
    }

    private boolean lend() {
        if (lent.incrementAndGet() > max) {
            lent.decrementAndGet();
            return false;
        }
        release(1);
        onFreed.run();
        return true;
    }

    private void takeBack() {
        lent.decrementAndGet();
        reserved.incrementAndGet();
    }

    private void endLent() {
        lent.decrementAndGet();
    }

    /** One claim's slot: lent while every unfinished service of the claim waits, taken back when one wakes. */
    public static final class ClaimSlot {

        /** For a claim run outside the scheduler (tests): nothing is lent. */
        public static final ClaimSlot NONE = new ClaimSlot(null);

        private final JobSlots slots;
        private int pipelines;
        private int waiting;
        private int finished;
        private boolean lent;
        private boolean ended;

        private ClaimSlot(JobSlots slots) {
            this.slots = slots;
        }

        /** The fan-out starts with this many service pipelines. */
        synchronized void pipelines(int count) {
            pipelines = count;
            finished = 0;
        }

        synchronized void waiting(boolean starts) {
            if (slots == null || ended) {
                return;
            }
            if (starts) {
                waiting++;
                maybeLend();
            } else {
                waiting = Math.max(0, waiting - 1);
                if (lent) {
                    lent = false;
                    slots.takeBack();
                }
            }
        }

        synchronized void finished() {
            if (slots == null || ended) {
                return;
            }
            finished++;
            maybeLend();
        }

        /** The claim is over: its slot goes back (or, when lent, is no longer owed). */
        synchronized void end() {
            if (slots == null || ended) {
                return;
            }
            ended = true;
            if (lent) {
                slots.endLent();
            } else {
                slots.release(1);
            }
        }

        private void maybeLend() {
            if (!lent && waiting > 0 && waiting >= pipelines - finished && slots.lend()) {
                lent = true;
            }
        }
    }
}
