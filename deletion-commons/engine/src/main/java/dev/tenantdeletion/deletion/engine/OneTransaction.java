package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole plan in one transaction: the rows of every table other tables are reached through locked, parents
 * first, then one DELETE per table, children first; again (bounded) when the tenant's own new rows broke a
 * foreign key.
 */
final class OneTransaction implements DeletionStrategy {

    private final DeletionPlan plan;
    private final DeletionTransactions transactions;
    private final List<String> deleteSql;
    /** Locks on the rows of every table other tables are reached through, parents first. */
    private final List<String> lockParentsSql;

    OneTransaction(DeletionPlan plan, TenantRowsSql sql, DeletionTransactions transactions) {
        this.plan = plan;
        this.transactions = transactions;
        this.deleteSql = plan.tables().stream().map(sql::deleteAll).toList();
        this.lockParentsSql = sql.parentsTopDown().stream().map(sql::lockAll).toList();
    }

    @Override
    public Uni<Void> delete(DeletionCall call) {
        Rounds rounds = new Rounds();
        // the receipt records the plan's transaction even when it deleted nothing
        return DeletionStrategy.repeat(() -> transactions.run(call, Integer.MAX_VALUE, checked -> deleteAll(checked, call.tenant()),
                        counts -> true)
                // only a committed transaction's counts are reported as deleted
                .map(counts -> {
                    call.add(counts);
                    call.markComplete();
                    return false;
                })
                .onFailure(DeletionTransactions::foreignKeyViolation)
                .recoverWithUni(failure -> transactions.againAfterOwnRows(call, rounds, failure).replaceWith(true)));
    }

    /** One transaction either deletes everything or nothing: after a failure the tenant's rows are all there. */
    @Override
    public Uni<Boolean> completeAfterFailure(DeletionCall call) {
        return Uni.createFrom().item(false);
    }

    private Uni<Map<String, Long>> deleteAll(CheckedTransaction transaction, UUID tenant) {
        List<PlannedTable> tables = plan.tables();
        // rows of parents locked first: no child written meanwhile can hang under them (and be cascaded uncounted)
        Uni<Void> locked = lockParentsSql.isEmpty() ? Uni.createFrom().voidItem() : Multi.createFrom().iterable(lockParentsSql)
                .onItem().transformToUniAndConcatenate(lock -> transaction.query(lock, Tuple.of(tenant)))
                .collect().last().replaceWithVoid();
        return locked.chain(() -> Multi.createFrom().range(0, tables.size())
                .onItem().transformToUniAndConcatenate(i -> transaction.delete(tables.get(i).tableName(), deleteSql.get(i), Tuple.of(tenant))
                        .map(rows -> Map.entry(tables.get(i).tableName(), (long) rows)))
                .collect().<Map<String, Long>>in(LinkedHashMap::new, (counts, entry) -> counts.put(entry.getKey(), entry.getValue())));
    }
}
