package dev.tenantdeletion.deletion.engine;

/**
 * The rounds of one call: the plan runs again from its first table when rows of the tenant keep appearing (its own
 * application still writing), a bounded number of times so that a call always ends.
 */
final class Rounds {

    /** A call out of rounds answers complete=false (batched) or a retryable failure (a broken foreign key). */
    static final int MAX = 3;

    private int ended;

    boolean left() {
        return ended < MAX;
    }

    void end() {
        ended++;
    }
}
