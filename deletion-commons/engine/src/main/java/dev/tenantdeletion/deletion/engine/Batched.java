package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each table emptied in batches of at most N rows, each batch its own short transaction. A round starts by asking
 * which planned tables hold rows of the tenant (one statement; the first round takes the counts of the call's first
 * statement, {@link SchemaVersion}): none → the call is complete; otherwise those tables
 * are drained in plan order, children first, each until a batch comes back short, and the next round checks again —
 * so rows written meanwhile by the tenant's own application are deleted too, in a bounded number of rounds. No
 * batch starts once the budget is spent.
 */
final class Batched implements DeletionStrategy {

    private final Pool pool;
    private final DeletionPlan plan;
    private final DeletionTransactions transactions;
    private final int configuredBatchSize;
    private final String tablesWithRowsSql;
    private final List<String> deleteSql;
    private final List<String> batchSql;
    /** The same batches for a partitioned table: by (tableoid, ctid), a ctid being unique only within a partition. */
    private final List<String> partitionedBatchSql;
    private final Duration partitionLockTimeout;
    /** Per plan index, for a table other tables are reached through (else null): its batch's statements. */
    private final List<ParentBatch> parentBatches;

    /**
     * A parent's batch: lock at most N ids (in a tree: leaves; else the rest), then delete what hangs under them, then
     * them; {@code withTenant}: per statement, whether it also takes the tenant ({@link TenantRowsSql#underNeedsTenant}).
     */
    private record ParentBatch(String lockSql, String lockRestSql, List<String> deleteSql, List<String> tables, List<Boolean> withTenant) {
    }

    Batched(Pool pool, DeletionPlan plan, TenantRowsSql sql, DeletionTransactions transactions, int configuredBatchSize,
            Duration partitionLockTimeout) {
        this.pool = pool;
        this.plan = plan;
        this.transactions = transactions;
        this.configuredBatchSize = configuredBatchSize;
        this.tablesWithRowsSql = "select " + sql.existsEach();
        this.deleteSql = plan.tables().stream().map(sql::deleteAll).toList();
        this.batchSql = plan.tables().stream().map(sql::batch).toList();
        this.partitionedBatchSql = plan.tables().stream().map(sql::partitionedBatch).toList();
        this.partitionLockTimeout = partitionLockTimeout;
        this.parentBatches = plan.tables().stream().map(table -> parentBatch(plan, sql, table)).toList();
    }

    private static ParentBatch parentBatch(DeletionPlan plan, TenantRowsSql sql, PlannedTable table) {
        if (plan.childrenOf(table.tableName()).isEmpty()) {
            return null;
        }
        List<String> statements = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        List<Boolean> withTenant = new ArrayList<>();
        for (PlannedTable descendant : plan.descendantsOf(table.tableName())) {
            statements.add(sql.deleteUnder(descendant, table.tableName()));
            tables.add(descendant.tableName());
            withTenant.add(sql.underNeedsTenant(descendant, table.tableName()));
        }
        statements.add(sql.deleteIds(table));
        tables.add(table.tableName());
        withTenant.add(false);
        return new ParentBatch(sql.lockBatch(table, true), table.selfReference() == null ? null : sql.lockBatch(table, false),
                List.copyOf(statements), List.copyOf(tables), List.copyOf(withTenant));
    }

    @Override
    public Uni<Void> delete(DeletionCall call) {
        return DeletionStrategy.repeat(new Loop(call)::next);
    }

    /** Some batches may have committed before the failure: whether anything is left. */
    @Override
    public Uni<Boolean> completeAfterFailure(DeletionCall call) {
        return call.total() > 0 ? tablesWithRows(call.tenant()).map(List::isEmpty).onFailure().recoverWithItem(false)
                : Uni.createFrom().item(false);
    }

    /** Where one call's loop stands: its rounds, the tables the round drains and which of them now, the batch size. */
    private final class Loop {

        private final DeletionCall call;
        private final Rounds rounds = new Rounds();
        /**
         * Each table's own batch sizing: a table's time per row says nothing of another's (a child nothing references
         * deletes ten times faster than a parent whose batch runs the set-based checks), and one sizing for the whole
         * call let a cheap table's rate size a costly table's first big batch (the 5,000,000-row benchmark's
         * transactions of 1.3 and 1.7 s).
         */
        private final Map<String, BatchSizing> sizings = new HashMap<>();
        /** The plan indexes of the tables this round drains; null: the round has not started. */
        private List<Integer> tablesWithRows;
        private int position;
        /** The first round's tables, as the call's first statement found them (no statement of its own); then null. */
        private List<Integer> firstRound;

        Loop(DeletionCall call) {
            this.call = call;
            this.firstRound = call.tablesWithRows();
        }

        /** One step: a round's start, or one batch of the current table. False: the call stops here. */
        Uni<Boolean> next() {
            if (call.outOfTime()) {
                return Uni.createFrom().item(false);
            }
            if (tablesWithRows == null) {
                if (firstRound != null) {
                    List<Integer> tables = firstRound;
                    firstRound = null;
                    return Uni.createFrom().item(startRound(tables));
                }
                return tablesWithRows(call.tenant()).map(this::startRound);
            }
            return batch(tablesWithRows.get(position))
                    .map(drained -> {
                        if (drained) {
                            tableDone();
                        }
                        return true;
                    })
                    .onFailure(DeletionTransactions::foreignKeyViolation)
                    .recoverWithUni(failure -> transactions.againAfterOwnRows(call, rounds, failure)
                            .invoke(() -> tablesWithRows = null).replaceWith(true))
                    // a whole partition's locks were busy: nothing of that transaction happened; its rows go in batches
                    .onFailure(TenantPartitions.Busy.class).recoverWithItem(failure -> {
                        call.partitions().done(((TenantPartitions.Busy) failure).table);
                        return true;
                    });
        }

        private boolean startRound(List<Integer> withRows) {
            if (withRows.isEmpty()) {
                call.markComplete();
                return false;
            }
            if (!rounds.left()) {
                return false; // rows keep appearing: complete=false, the caller calls again
            }
            tablesWithRows = withRows;
            position = 0;
            return true;
        }

        /** The current table is drained; after the last one the round ends (the next one checks again). */
        private void tableDone() {
            position++;
            if (position == tablesWithRows.size()) {
                rounds.end();
                tablesWithRows = null;
            }
        }

        /**
         * One batch of the table; true: the table is drained for this round — the batch deleted nothing, or fewer rows
         * than it asked for where that means none was left when it chose them (no self-reference, whose batches take
         * only the leaves of the moment). A row written after that is the next round's (its first statement asks).
         */
        private Uni<Boolean> batch(int index) {
            PlannedTable table = plan.tables().get(index);
            String name = table.tableName();
            ParentBatch parent = parentBatches.get(index);
            BatchSizing sizing = sizings.computeIfAbsent(name, ignored -> new BatchSizing(configuredBatchSize));
            // a parent's batch brings its locked ids into the heap: it is capped (BatchSizing.MAX_IDS_IN_HEAP)
            int size = parent == null ? sizing.rows() : sizing.rowsInHeap();
            long started = System.nanoTime();
            if (parent == null && call.partitions().whale(name)) {
                return wholePartition(index, name, size);
            }
            return transactions.run(call, size, checked -> parent == null ? rowsBatch(checked, call.tenant(), index, size, call.partitions())
                            : parentBatch(checked, call.tenant(), parent, name, size), DeletionTransactions::deletedAny)
                    .invoke(call::add)
                    .invoke(counts -> {
                        Duration took = Duration.ofNanos(System.nanoTime() - started);
                        Log.debugf("batch of %s: %d rows asked, %d deleted in %d ms", name, size, counts.get(name), took.toMillis());
                        sizing.batchDone(size, counts.get(name), took, call.budgetLeft());
                    })
                    .map(counts -> counts.get(name) == 0 || counts.get(name) < size && table.selfReference() == null);
        }

        /**
         * The tenant's own partition of the table, erased whole as one batch of its own (a short transaction: the
         * partitioned table's ACCESS EXCLUSIVE lock is held for the detach, the drop and the receipt). It does not size
         * the next batches (no row passed through it); after it, the table's ordinary batches delete what is left.
         */
        private Uni<Boolean> wholePartition(int index, String name, int size) {
            TenantPartitions partitions = call.partitions();
            return transactions.run(call, size, checked -> partitions.erase(checked, name, call.tenant(), partitionLockTimeout)
                            .chain(rows -> rows != null ? Uni.createFrom().item(Map.of(name, rows))
                                    : rowsBatch(checked, call.tenant(), index, size, partitions)), DeletionTransactions::deletedAny)
                    .invoke(call::add)
                    .invoke(() -> partitions.done(name))
                    // never drained by it: the table's ordinary batches follow
                    .replaceWith(false);
        }
    }

    /** The plan indexes of the tables that hold rows of the tenant (one statement). */
    private Uni<List<Integer>> tablesWithRows(UUID tenant) {
        return ByTenantIndex.query(pool, tablesWithRowsSql, Tuple.of(tenant))
                .map(rows -> TenantRowsSql.tablesWithRows(rows.iterator().next(), 0, plan.tables().size()));
    }

    /**
     * At most {@code size} rows of a table nothing is reached through. In a tree the batch takes leaves only; when
     * none is left but rows are (a cycle, or a row of another tenant hanging below), the rest goes in one statement,
     * which deletes a cycle whole or fails on the other tenant's row like any cross-tenant reference.
     */
    private Uni<Map<String, Long>> rowsBatch(CheckedTransaction transaction, UUID tenant, int index, int size, TenantPartitions partitions) {
        PlannedTable table = plan.tables().get(index);
        String name = table.tableName();
        String statement = partitions.partitioned(name) ? partitionedBatchSql.get(index) : batchSql.get(index);
        Uni<Integer> rows = transaction.delete(name, statement, Tuple.of(tenant, size));
        if (table.selfReference() != null) {
            rows = rows.chain(n -> n > 0 ? Uni.createFrom().item(n) : transaction.delete(name, deleteSql.get(index), Tuple.of(tenant)));
        }
        return rows.map(n -> Map.of(name, n.longValue()));
    }

    /**
     * At most {@code size} rows of a table other tables are reached through: the rows are locked, then whatever still
     * hangs under them (normally nothing: the children's own batches came first; rows written since) is deleted and
     * counted children first, then the rows themselves.
     */
    private Uni<Map<String, Long>> parentBatch(CheckedTransaction transaction, UUID tenant, ParentBatch batch, String name, int size) {
        Uni<UUID[]> locked = lockedIds(transaction, batch.lockSql(), Tuple.of(tenant, size));
        if (batch.lockRestSql() != null) {
            locked = locked.chain(ids -> ids.length > 0 ? Uni.createFrom().item(ids)
                    : lockedIds(transaction, batch.lockRestSql(), Tuple.of(tenant)));
        }
        return locked.chain(ids -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put(name, 0L);
            if (ids.length == 0) {
                return Uni.createFrom().item(counts);
            }
            return Multi.createFrom().range(0, batch.deleteSql().size())
                    .onItem().transformToUniAndConcatenate(i -> transaction
                            .delete(batch.tables().get(i), batch.deleteSql().get(i),
                                    batch.withTenant().get(i) ? Tuple.of(ids, tenant) : Tuple.of((Object) ids))
                            .invoke(rows -> counts.merge(batch.tables().get(i), (long) rows, Long::sum)))
                    .collect().last().map(ignored -> counts);
        });
    }

    private static Uni<UUID[]> lockedIds(CheckedTransaction transaction, String statement, Tuple parameters) {
        return transaction.query(statement, parameters).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getUUID(0)));
            return ids.toArray(UUID[]::new);
        });
    }
}
