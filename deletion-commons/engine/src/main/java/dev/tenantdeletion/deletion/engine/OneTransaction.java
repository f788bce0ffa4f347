package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
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
    private final Duration partitionLockTimeout;

    OneTransaction(DeletionPlan plan, TenantRowsSql sql, DeletionTransactions transactions, Duration partitionLockTimeout) {
        this.plan = plan;
        this.transactions = transactions;
        this.partitionLockTimeout = partitionLockTimeout;
        this.deleteSql = plan.tables().stream().map(sql::deleteAll).toList();
        this.lockParentsSql = sql.parentsTopDown().stream().map(sql::lockAll).toList();
    }

    @Override
    public Uni<Void> delete(DeletionCall call) {
        Rounds rounds = new Rounds();
        // the receipt records the plan's transaction even when it deleted nothing
        return DeletionStrategy.repeat(() -> transactions.run(call, Integer.MAX_VALUE, checked -> deleteAll(checked, call),
                        counts -> true)
                // only a committed transaction's counts are reported as deleted
                .map(counts -> {
                    call.add(counts);
                    call.markComplete();
                    return false;
                })
                .onFailure(DeletionTransactions::foreignKeyViolation)
                .recoverWithUni(failure -> transactions.againAfterOwnRows(call, rounds, failure).replaceWith(true))
                // a whole partition's locks were busy: the transaction rolled back; again, deleting that table's rows
                .onFailure(TenantPartitions.Busy.class).recoverWithItem(failure -> {
                    call.partitions().done(((TenantPartitions.Busy) failure).table);
                    return true;
                }));
    }

    /** One transaction either deletes everything or nothing: after a failure the tenant's rows are all there. */
    @Override
    public Uni<Boolean> completeAfterFailure(DeletionCall call) {
        return Uni.createFrom().item(false);
    }

    private Uni<Map<String, Long>> deleteAll(CheckedTransaction transaction, DeletionCall call) {
        UUID tenant = call.tenant();
        TenantPartitions partitions = call.partitions();
        List<PlannedTable> tables = plan.tables();
        // rows of parents locked first: no child written meanwhile can hang under them (and be cascaded uncounted)
        Uni<Void> locked = lockParentsSql.isEmpty() ? Uni.createFrom().voidItem() : Multi.createFrom().iterable(lockParentsSql)
                .onItem().transformToUniAndConcatenate(lock -> transaction.query(lock, Tuple.of(tenant)))
                .collect().last().replaceWithVoid();
        return locked.chain(() -> Multi.createFrom().range(0, tables.size())
                .onItem().transformToUniAndConcatenate(i -> delete(transaction, partitions, tables.get(i).tableName(), deleteSql.get(i), tenant)
                        .map(rows -> Map.entry(tables.get(i).tableName(), rows)))
                .collect().<Map<String, Long>>in(LinkedHashMap::new, (counts, entry) -> counts.put(entry.getKey(), entry.getValue())));
    }

    /** The tenant's rows of one table: its own partition erased whole where it has one (else, or if that is refused now, DELETE). */
    private Uni<Long> delete(CheckedTransaction transaction, TenantPartitions partitions, String table, String deleteSql, UUID tenant) {
        if (!partitions.whale(table)) {
            return transaction.delete(table, deleteSql, Tuple.of(tenant)).map(Integer::longValue);
        }
        return partitions.erase(transaction, table, tenant, partitionLockTimeout)
                .chain(rows -> rows != null ? Uni.createFrom().item(rows)
                        : transaction.delete(table, deleteSql, Tuple.of(tenant)).map(Integer::longValue));
    }
}
