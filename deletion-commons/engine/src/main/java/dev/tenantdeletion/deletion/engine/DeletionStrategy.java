package dev.tenantdeletion.deletion.engine;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * How a call deletes the tenant's rows: {@link OneTransaction} (the whole plan in one transaction) or {@link Batched}
 * (short transactions of at most N rows). Both run their transactions through {@link DeletionTransactions}; the
 * engine reports the outcome of either the same way.
 */
sealed interface DeletionStrategy permits OneTransaction, Batched {

    /**
     * Deletes the tenant's rows, adding what each committed transaction deleted to the call and marking it complete
     * when nothing is left. A failure ends the call.
     */
    Uni<Void> delete(DeletionCall call);

    /** After a failure: whether the tenant has no rows left all the same (committed batches may have removed them). */
    Uni<Boolean> completeAfterFailure(DeletionCall call);

    /** Runs {@code step} until it answers false: an iterative loop (a new batch never adds a stack frame). */
    static Uni<Void> repeat(Supplier<Uni<? extends Boolean>> step) {
        return Multi.createBy().repeating().uni(step).whilst(more -> more).collect().last().replaceWithVoid();
    }
}
