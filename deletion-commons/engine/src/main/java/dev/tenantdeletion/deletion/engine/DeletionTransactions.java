package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.engine.ForeignKeyDiagnosis.Cause;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What every deletion transaction of a call does, whichever the strategy: the tenant lock; with a key, the check
 * that the call is still the latest under it; the call's foreign-key checks wrapped around its DELETEs
 * ({@link CheckedTransaction}); its counts added to the receipt before commit. And what a broken foreign key means
 * for the call.
 */
final class DeletionTransactions {

    private final Pool pool;
    private final Receipts receipts;
    private final DeletionSettings settings;
    private final DeletionPlan plan;
    private final TenantRowsSql sql;

    DeletionTransactions(Pool pool, Receipts receipts, DeletionSettings settings, DeletionPlan plan, TenantRowsSql sql) {
        this.pool = pool;
        this.receipts = receipts;
        this.settings = settings;
        this.plan = plan;
        this.sql = sql;
    }

    /**
     * One transaction of {@code call}: {@code deletes} runs its statements on the checked connection and answers the
     * counts, which go to the receipt when {@code recorded} says so. {@code rows} is the batch size (Integer.MAX_VALUE
     * for the whole plan): a small batch keeps the triggers.
     */
    Uni<Map<String, Long>> run(DeletionCall call, int rows, Function<CheckedTransaction, Uni<Map<String, Long>>> deletes,
            Predicate<Map<String, Long>> recorded) {
        return once(call, rows, deletes, recorded)
                // rolled back: nothing of it happened. Once more: the catalog now differs from what the call prepared, so
                // this time the transaction keeps the triggers (PreparedChecks.begin)
                .onFailure(CheckedTransaction.CatalogChanged.class).recoverWithUni(changed -> {
                    Log.infof("tenant %s: %s; the transaction rolled back and runs again with the triggers", call.tenant(),
                            changed.getMessage());
                    return once(call, rows, deletes, recorded);
                });
    }

    private Uni<Map<String, Long>> once(DeletionCall call, int rows, Function<CheckedTransaction, Uni<Map<String, Long>>> deletes,
            Predicate<Map<String, Long>> recorded) {
        return pool.withTransaction(connection -> lock(connection, call, rows < Integer.MAX_VALUE)
                .chain(() -> call.checks().begin(connection, rows))
                .chain(transaction -> deletes.apply(transaction).call(counts -> transaction.verify()))
                .call(counts -> call.receipt() == null || !recorded.test(counts) ? Uni.createFrom().voidItem()
                        : receipts.add(connection, call.receipt(), counts)));
    }

    /** The tenant lock (for a batch, with reads by index), then (with a key) the check that no newer call has taken over. */
    private Uni<Void> lock(SqlConnection connection, DeletionCall call, boolean batch) {
        Uni<Void> locked = TenantLock.acquire(connection, call.tenant(), settings.lockWait(), batch);
        return call.receipt() == null ? locked : locked.chain(() -> receipts.requireLatest(connection, call.receipt()));
    }

    /** For a batch: whether it deleted anything (an empty batch leaves the receipt as it is). */
    static boolean deletedAny(Map<String, Long> counts) {
        return !counts.values().stream().allMatch(n -> n == 0);
    }

    static boolean foreignKeyViolation(Throwable failure) {
        return DatabaseFailure.is(failure, DatabaseFailure.FOREIGN_KEY_VIOLATION);
    }

    /**
     * A foreign key broke: a row of another tenant → a conflict; the tenant's own rows written meanwhile → the round
     * ends and, while {@code rounds} has one left, the caller runs the plan again from its first table (children
     * first); else a retryable failure.
     */
    Uni<Void> againAfterOwnRows(DeletionCall call, Rounds rounds, Throwable failure) {
        DatabaseFailure cause = DatabaseFailure.of(failure);
        return ForeignKeyDiagnosis.diagnose(pool, cause, call.tenant(),
                (table, alias) -> plan.table(table).map(t -> sql.belongs(t, alias)).orElse(null)).invoke(verdict -> {
            if (verdict.cause() == Cause.OTHER_TENANT) {
                throw new DeletionStopped(DeletionFailure.FOREIGN_KEY_CONFLICT, verdict.description(), failure);
            }
            if (verdict.cause() == Cause.UNKNOWN) {
                throw new DeletionStopped(DeletionFailure.DATABASE_ERROR, verdict.description(), failure);
            }
            Log.infof("tenant %s: %s; deleting again", call.tenant(), verdict.description());
            rounds.end();
            if (!rounds.left()) {
                throw new DeletionStopped(DeletionFailure.DATABASE_ERROR, verdict.description() + ", in each of " + Rounds.MAX
                        + " rounds; stop the tenant's writers and call again", failure);
            }
        }).replaceWithVoid();
    }
}
