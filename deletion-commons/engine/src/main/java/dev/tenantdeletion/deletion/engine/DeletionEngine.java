package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.coverage.CoverageCheck;
import dev.tenantdeletion.deletion.engine.ForeignKeyDiagnosis.Cause;
import dev.tenantdeletion.deletion.metrics.DeletionMetrics;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs a service's {@link DeletionPlan}: previews with one count per table (one statement), deletes with one
 * bulk statement per table, children first, either in one transaction or in short batches. A table reached
 * through a parent is found through its path ({@link TenantRowsSql}); the rows of a parent are locked before its
 * children go, so nothing an ON DELETE CASCADE could remove goes uncounted (docs/plans.md). Row counts always
 * come from the statements themselves; with an Idempotency-Key they are also added to the key's receipt inside
 * the same transaction.
 *
 * <p>Everything runs as plain SQL on the reactive pool: the tenant lock, the deletes and the receipt must share
 * one connection and transaction, the receipt needs {@code RETURNING}, and a failure must keep PostgreSQL's own
 * error fields (table, constraint) for the diagnosis.
 *
 * <p>Steps in order are written one way, with Mutiny's {@code Multi}, as in the orchestrator's fan-out and retries: a
 * known list of statements is {@code Multi.createFrom()…onItem().transformToUniAndConcatenate(..)} (concatenate, never
 * merge: children first, one statement at a time on the one connection and transaction), and a loop whose next step
 * depends on the last ({@link #repeat}: batch after batch) is {@code Multi.createBy().repeating()}, which drains in a
 * loop, so tens of thousands of batches add no stack frame and no chain.
 */
@ApplicationScoped
public class DeletionEngine {

    /**
     * How often the plan is run again within one call when rows keep appearing (the tenant's own application
     * still writing). Bounded so a call always ends; a call that runs out of rounds answers complete=false.
     */
    static final int MAX_ROUNDS = 3;

    private final Pool pool;
    private final DeletionPlan plan;
    private final DeletionSettings settings;
    private final DeletionMetrics metrics;
    private final CoverageCheck coverage;
    private final ForeignKeyChecks foreignKeyChecks;
    private final Receipts receipts;
    private final String serviceName;
    private final TenantRowsSql sql;
    private final String countSql;
    private final String tablesWithRowsSql;
    private final List<String> deleteSql;
    private final List<String> batchSql;
    /** One transaction: locks on the rows of every table other tables are reached through, parents first. */
    private final List<String> lockParentsSql;
    /** Per plan index, for a table other tables are reached through (else null): its batch's statements. */
    private final List<ParentBatch> parentBatches;

    /** A parent's batch: lock at most N ids (in a tree: leaves; else the rest), then delete what hangs under them, then them. */
    private record ParentBatch(String lockSql, String lockRestSql, List<String> deleteSql, List<String> tables) {
    }

    public DeletionEngine(Pool pool, DeletionPlan plan, DeletionSettings settings, DeletionMetrics metrics, CoverageCheck coverage,
            ForeignKeyChecks foreignKeyChecks, Receipts receipts, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.pool = pool;
        this.plan = plan;
        this.settings = settings;
        this.metrics = metrics;
        this.coverage = coverage;
        this.foreignKeyChecks = foreignKeyChecks;
        this.receipts = receipts;
        this.serviceName = serviceName;
        this.sql = new TenantRowsSql(plan);
        this.countSql = plan.tables().stream().map(sql::count).collect(Collectors.joining(", ", "select ", ""));
        this.tablesWithRowsSql = plan.tables().stream().map(sql::exists).collect(Collectors.joining(", ", "select ", ""));
        this.deleteSql = plan.tables().stream().map(sql::deleteAll).toList();
        this.batchSql = plan.tables().stream().map(sql::batch).toList();
        this.lockParentsSql = sql.parentsTopDown().stream().map(sql::lockAll).toList();
        this.parentBatches = plan.tables().stream().map(this::parentBatch).toList();
    }

    private ParentBatch parentBatch(PlannedTable table) {
        if (plan.childrenOf(table.tableName()).isEmpty()) {
            return null;
        }
        List<String> statements = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (PlannedTable descendant : plan.descendantsOf(table.tableName())) {
            statements.add(sql.deleteUnder(descendant, table.tableName()));
            tables.add(descendant.tableName());
        }
        statements.add(sql.deleteIds(table));
        tables.add(table.tableName());
        return new ParentBatch(sql.lockBatch(table, true), table.selfReference() == null ? null : sql.lockBatch(table, false),
                List.copyOf(statements), List.copyOf(tables));
    }

    public String serviceName() {
        return serviceName;
    }

    public DeletionPlan plan() {
        return plan;
    }

    /** Rows the tenant has in each planned table, in plan order. A database error fails the Uni. */
    public Uni<Map<String, Long>> preview(UUID tenant) {
        long started = System.nanoTime();
        return countAll(tenant)
                .onItem().invoke(counts -> metrics.previewFinished(Duration.ofNanos(System.nanoTime() - started)))
                .onFailure().invoke(failure -> {
                    metrics.failure("preview_error");
                    Log.errorf(failure, "deletion preview failed in %s for tenant %s", serviceName, tenant);
                });
    }

    /**
     * Deletes every row of the tenant: refused while the coverage check fails; in one transaction, or in
     * batches when the service has a batch size or the call a budget. Never fails: a failure is an outcome.
     */
    public Uni<DeletionOutcome> delete(DeletionRequest request) {
        DeletionRun run = new DeletionRun(request, plan.tableNames(), System.nanoTime(), settings.batchSize());
        boolean batched = settings.batchSize() > 0 || request.budget() != null;
        return coverage.check(plan)
                .invoke(report -> {
                    if (!report.covered()) {
                        throw new DeletionStopped(DeletionFailure.COVERAGE_FAILED, "the deletion plan does not cover the schema, so "
                                + "nothing is deleted: " + String.join("; ", report.problems()));
                    }
                })
                .chain(() -> foreignKeyChecks.prepare(plan).invoke(checks -> run.checks = checks))
                .chain(() -> request.idempotencyKey() == null ? Uni.createFrom().voidItem()
                        : receipts.open(request.idempotencyKey(), request.tenant()).invoke(call -> run.receipt = call).replaceWithVoid())
                .chain(() -> repeat(batched ? () -> nextBatchStep(run) : () -> oneTransactionStep(run)))
                .chain(() -> succeeded(run))
                .onFailure().recoverWithUni(failure -> failed(run, batched, failure));
    }

    /** Runs {@code step} until it answers false: an iterative loop (a new batch never adds a stack frame). */
    private static Uni<Void> repeat(Supplier<Uni<? extends Boolean>> step) {
        return Multi.createBy().repeating().uni(step).whilst(more -> more).collect().last().replaceWithVoid();
    }

    /** The whole plan in one transaction; again (bounded) when the tenant's own new rows broke a foreign key. */
    private Uni<Boolean> oneTransactionStep(DeletionRun run) {
        return pool.withTransaction(connection -> lock(connection, run)
                        .chain(() -> run.checks.begin(connection, Integer.MAX_VALUE))
                        .chain(checks -> deleteAllTables(connection, run.tenant(), checks).call(counts -> checks.verify(connection)))
                        .call(counts -> run.receipt == null ? Uni.createFrom().voidItem() : receipts.add(connection, run.receipt, counts)))
                // only a committed transaction's counts are reported as deleted
                .map(counts -> {
                    run.add(counts);
                    run.complete = true;
                    return false;
                })
                .onFailure(DeletionEngine::foreignKeyViolation).recoverWithUni(failure -> againAfterOwnRows(run, failure));
    }

    private Uni<Map<String, Long>> deleteAllTables(SqlConnection connection, UUID tenant, ForeignKeyChecks.Transaction checks) {
        List<PlannedTable> tables = plan.tables();
        // rows of parents locked first: no child written meanwhile can hang under them (and be cascaded uncounted)
        Uni<Void> locked = lockParentsSql.isEmpty() ? Uni.createFrom().voidItem() : Multi.createFrom().iterable(lockParentsSql)
                .onItem().transformToUniAndConcatenate(lock -> connection.preparedQuery(lock).execute(Tuple.of(tenant)))
                .collect().last().replaceWithVoid();
        return locked.chain(() -> Multi.createFrom().range(0, tables.size())
                .onItem().transformToUniAndConcatenate(i -> connection
                        .preparedQuery(checks.statement(tables.get(i).tableName(), deleteSql.get(i))).execute(Tuple.of(tenant))
                        .invoke(rows -> checks.deleted(tables.get(i).tableName(), rows))
                        .map(rows -> Map.entry(tables.get(i).tableName(), (long) rows.rowCount())))
                .collect().<Map<String, Long>>in(LinkedHashMap::new, (counts, entry) -> counts.put(entry.getKey(), entry.getValue())));
    }

    /**
     * One step of the batched loop. A round starts by asking which planned tables hold rows of the tenant (one
     * statement): none → the call is complete; otherwise those tables are drained in plan order, children first,
     * each until a batch deletes nothing, and the next round checks again — so rows written meanwhile by the
     * tenant's own application are deleted too, in a bounded number of rounds. No batch starts once the budget
     * is spent.
     */
    private Uni<Boolean> nextBatchStep(DeletionRun run) {
        if (run.outOfTime()) {
            return Uni.createFrom().item(false);
        }
        if (run.tablesWithRows == null) {
            return tablesWithRows(run.tenant()).map(withRows -> {
                if (withRows.isEmpty()) {
                    run.complete = true;
                    return false;
                }
                if (!run.roundsLeft(MAX_ROUNDS)) {
                    return false; // rows keep appearing: complete=false, the caller calls again
                }
                run.startRound(withRows);
                return true;
            });
        }
        int table = run.currentTable();
        return batch(run, table)
                .map(rows -> {
                    if (rows == 0) {
                        run.tableDone();
                    }
                    return true;
                })
                .onFailure(DeletionEngine::foreignKeyViolation).recoverWithUni(failure -> againAfterOwnRows(run, failure));
    }

    /** The plan indexes of the tables that hold rows of the tenant (one statement). */
    private Uni<List<Integer>> tablesWithRows(UUID tenant) {
        return pool.preparedQuery(tablesWithRowsSql).execute(Tuple.of(tenant)).map(rows -> {
            Row row = rows.iterator().next();
            List<Integer> withRows = new ArrayList<>();
            for (int i = 0; i < plan.tables().size(); i++) {
                if (row.getBoolean(i)) {
                    withRows.add(i);
                }
            }
            return withRows;
        });
    }

    private Uni<Integer> batch(DeletionRun run, int index) {
        String name = plan.tables().get(index).tableName();
        int size = run.batches.rows();
        long started = System.nanoTime();
        ParentBatch parent = parentBatches.get(index);
        return pool.withTransaction(connection -> lock(connection, run)
                        .chain(() -> run.checks.begin(connection, size))
                        .chain(checks -> (parent == null ? rowsBatch(connection, run.tenant(), index, size, checks)
                                : parentBatch(connection, run.tenant(), parent, name, size, checks)).call(counts -> checks.verify(connection)))
                        .call(counts -> run.receipt == null || counts.values().stream().allMatch(n -> n == 0) ? Uni.createFrom().voidItem()
                                : receipts.add(connection, run.receipt, counts)))
                .invoke(run::add)
                .invoke(counts -> run.batches.batchDone(size, counts.get(name), System.nanoTime() - started, run.budgetLeftNanos()))
                .map(counts -> counts.get(name).intValue());
    }

    /**
     * At most {@code size} rows of a table nothing is reached through. In a tree the batch takes leaves only; when
     * none is left but rows are (a cycle, or a row of another tenant hanging below), the rest goes in one statement,
     * which deletes a cycle whole or fails on the other tenant's row like any cross-tenant reference.
     */
    private Uni<Map<String, Long>> rowsBatch(SqlConnection connection, UUID tenant, int index, int size,
            ForeignKeyChecks.Transaction checks) {
        PlannedTable table = plan.tables().get(index);
        String name = table.tableName();
        Uni<Integer> rows = connection.preparedQuery(checks.statement(name, batchSql.get(index))).execute(Tuple.of(tenant, size))
                .invoke(r -> checks.deleted(name, r)).map(r -> r.rowCount());
        if (table.selfReference() != null) {
            rows = rows.chain(n -> n > 0 ? Uni.createFrom().item(n)
                    : connection.preparedQuery(checks.statement(name, deleteSql.get(index))).execute(Tuple.of(tenant))
                            .invoke(r -> checks.deleted(name, r)).map(r -> r.rowCount()));
        }
        return rows.map(n -> Map.of(table.tableName(), n.longValue()));
    }

    /**
     * At most {@code size} rows of a table other tables are reached through: the rows are locked, then whatever still
     * hangs under them (normally nothing: the children's own batches came first; rows written since) is deleted and
     * counted children first, then the rows themselves.
     */
    private Uni<Map<String, Long>> parentBatch(SqlConnection connection, UUID tenant, ParentBatch batch, String name, int size,
            ForeignKeyChecks.Transaction checks) {
        Uni<UUID[]> locked = lockedIds(connection, batch.lockSql(), Tuple.of(tenant, size));
        if (batch.lockRestSql() != null) {
            locked = locked.chain(ids -> ids.length > 0 ? Uni.createFrom().item(ids)
                    : lockedIds(connection, batch.lockRestSql(), Tuple.of(tenant)));
        }
        return locked.chain(ids -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put(name, 0L);
            if (ids.length == 0) {
                return Uni.createFrom().item(counts);
            }
            return Multi.createFrom().range(0, batch.deleteSql().size())
                    .onItem().transformToUniAndConcatenate(i -> connection
                            .preparedQuery(checks.statement(batch.tables().get(i), batch.deleteSql().get(i))).execute(Tuple.of((Object) ids))
                            .invoke(rows -> checks.deleted(batch.tables().get(i), rows))
                            .invoke(rows -> counts.merge(batch.tables().get(i), (long) rows.rowCount(), Long::sum)))
                    .collect().last().map(ignored -> counts);
        });
    }

    private static Uni<UUID[]> lockedIds(SqlConnection connection, String statement, Tuple parameters) {
        return connection.preparedQuery(statement).execute(parameters).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getUUID(0)));
            return ids.toArray(UUID[]::new);
        });
    }

    /** The tenant lock, then (with a key) the check that no newer call has taken over. */
    private Uni<Void> lock(SqlConnection connection, DeletionRun run) {
        Uni<Void> locked = TenantLock.acquire(connection, run.tenant(), settings.lockWait());
        return run.receipt == null ? locked : locked.chain(() -> receipts.requireLatest(connection, run.receipt));
    }

    /**
     * A foreign key broke: a row of another tenant → a conflict; the tenant's own rows written meanwhile → the
     * plan runs again from its first table (children first), up to {@link #MAX_ROUNDS}; else a retryable failure.
     */
    private Uni<Boolean> againAfterOwnRows(DeletionRun run, Throwable failure) {
        DatabaseFailure cause = DatabaseFailure.of(failure);
        return ForeignKeyDiagnosis.diagnose(pool, cause, run.tenant(),
                (table, alias) -> plan.table(table).map(t -> sql.belongs(t, alias)).orElse(null)).map(verdict -> {
            if (verdict.cause() == Cause.OTHER_TENANT) {
                throw new DeletionStopped(DeletionFailure.FOREIGN_KEY_CONFLICT, verdict.description(), failure);
            }
            if (verdict.cause() == Cause.UNKNOWN) {
                throw new DeletionStopped(DeletionFailure.DATABASE_ERROR, verdict.description(), failure);
            }
            Log.infof("tenant %s: %s; deleting again", run.tenant(), verdict.description());
            run.endRound();
            if (!run.roundsLeft(MAX_ROUNDS)) {
                throw new DeletionStopped(DeletionFailure.DATABASE_ERROR, verdict.description() + ", in each of " + MAX_ROUNDS
                        + " rounds; stop the tenant's writers and call again", failure);
            }
            return true;
        });
    }

    private Uni<DeletionOutcome> succeeded(DeletionRun run) {
        metrics.rowsDeleted(run.deleted);
        return reportedCounts(run, run.complete).map(counts -> {
            DeletionSummary summary = summary(run, counts, run.complete, List.of(), true);
            metrics.deletionFinished("success", run.elapsed());
            Log.infof("deleted %d rows of tenant %s in %s in %d ms%s (%s; foreign keys: %s)", run.total(), run.tenant(), serviceName,
                    run.elapsed().toMillis(), run.complete ? "" : ", rows remain", run.deleted, run.checks.eligibility().describe());
            return DeletionOutcome.succeeded(summary);
        });
    }

    private Uni<DeletionOutcome> failed(DeletionRun run, boolean batched, Throwable failure) {
        DeletionFailure kind = failure instanceof DeletionStopped stopped ? stopped.kind() : DeletionFailure.DATABASE_ERROR;
        String message = failure instanceof DeletionStopped ? failure.getMessage() : DatabaseFailure.of(failure).describe();
        if (kind == DeletionFailure.DATABASE_ERROR) {
            Log.errorf(failure, "tenant deletion failed in %s for tenant %s", serviceName, run.tenant());
        } else {
            Log.warnf("tenant deletion of %s in %s: %s: %s", run.tenant(), serviceName, kind.error(), message);
        }
        metrics.failure(kind.metricKind());
        metrics.rowsDeleted(run.deleted);
        // in batched mode some batches may have committed: say whether anything is left
        Uni<Boolean> complete = batched && run.total() > 0
                ? tablesWithRows(run.tenant()).map(List::isEmpty).onFailure().recoverWithItem(false)
                : Uni.createFrom().item(false);
        return complete.chain(isComplete -> reportedCounts(run, null)
                        .onFailure().recoverWithItem(run.deleted)
                        .map(counts -> {
                            metrics.deletionFinished(kind.metricKind(), run.elapsed());
                            return new DeletionOutcome(summary(run, counts, isComplete, List.of(message), false), kind, message);
                        }));
    }

    /** With a key: the totals of every call under it (recording the call's end); without: this call's counts. */
    private Uni<Map<String, Long>> reportedCounts(DeletionRun run, Boolean complete) {
        if (run.receipt == null) {
            return Uni.createFrom().item(run.deleted);
        }
        return complete == null ? receipts.totals(run.receipt.key(), plan.tableNames())
                : receipts.finish(run.receipt, complete, plan.tableNames());
    }

    private DeletionSummary summary(DeletionRun run, Map<String, Long> counts, boolean complete, List<String> errors, boolean success) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new DeletionSummary(run.tenant().toString(), serviceName, counts, total, complete, new ArrayList<>(errors), success,
                run.elapsed().toMillis());
    }

    /**
     * All counts in one statement, one round trip: the per-table {@code count(*)} are scalar sub-selects of
     * one SELECT (the same index-only scans as separate statements), on one snapshot.
     */
    private Uni<Map<String, Long>> countAll(UUID tenant) {
        return pool.preparedQuery(countSql).execute(Tuple.of(tenant)).map(rows -> {
            Row row = rows.iterator().next();
            Map<String, Long> counts = new LinkedHashMap<>();
            List<String> tables = plan.tableNames();
            for (int i = 0; i < tables.size(); i++) {
                counts.put(tables.get(i), row.getLong(i));
            }
            return counts;
        });
    }

    private static boolean foreignKeyViolation(Throwable failure) {
        return DatabaseFailure.is(failure, DatabaseFailure.FOREIGN_KEY_VIOLATION);
    }
}
