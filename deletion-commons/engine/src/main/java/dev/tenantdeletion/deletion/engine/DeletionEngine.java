package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs a service's {@link DeletionPlan}: previews with one count per table (one statement), deletes with one
 * bulk statement per table, children first, either in one transaction ({@link OneTransaction}) or in short batches
 * ({@link Batched}). A table reached through a parent is found through its path ({@link TenantRowsSql}); the rows
 * of a parent are locked before its children go, so nothing an ON DELETE CASCADE could remove goes uncounted
 * (docs/plans.md). Row counts always come from the statements themselves; with an Idempotency-Key they are also
 * added to the key's receipt inside the same transaction. Whichever the strategy, the outcome (metrics, log,
 * summary, the receipt's totals) is reported here.
 *
 * <p>Everything runs as plain SQL on the reactive pool: the tenant lock, the deletes and the receipt must share
 * one connection and transaction, the receipt needs {@code RETURNING}, and a failure must keep PostgreSQL's own
 * error fields (table, constraint) for the diagnosis.
 *
 * <p>Steps in order are written one way, with Mutiny's {@code Multi}, as in the orchestrator's fan-out and retries: a
 * known list of statements is {@code Multi.createFrom()…onItem().transformToUniAndConcatenate(..)} (concatenate, never
 * merge: children first, one statement at a time on the one connection and transaction), and a loop whose next step
 * depends on the last ({@link DeletionStrategy#repeat}: batch after batch) is {@code Multi.createBy().repeating()},
 * which drains in a loop, so tens of thousands of batches add no stack frame and no chain.
 */
@ApplicationScoped
public class DeletionEngine {

    private final Pool pool;
    private final DeletionPlan plan;
    private final DeletionSettings settings;
    private final DeletionObserver observer;
    private final SchemaVersion schema;
    private final ForeignKeyChecks foreignKeyChecks;
    private final Receipts receipts;
    private final String serviceName;
    private final String countSql;
    private final String countEachSql;
    private final String[] plannedTables;
    private final DeletionStrategy oneTransaction;
    private final DeletionStrategy batched;

    public DeletionEngine(Pool pool, DeletionPlan plan, DeletionSettings settings, DeletionObserver observer, SchemaCoverage coverage,
            ForeignKeyChecks foreignKeyChecks, Receipts receipts, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.pool = pool;
        this.plan = plan;
        this.settings = settings;
        this.observer = observer;
        this.foreignKeyChecks = foreignKeyChecks;
        this.receipts = receipts;
        this.serviceName = serviceName;
        TenantRowsSql sql = new TenantRowsSql(plan);
        this.schema = new SchemaVersion(pool, plan, sql, coverage, foreignKeyChecks, settings.wholeTenantRows());
        this.countSql = plan.tables().stream().map(sql::count).collect(Collectors.joining(", ", "select ", ""));
        this.countEachSql = sql.countEach(plan.tables());
        this.plannedTables = plan.tableNames().toArray(String[]::new);
        DeletionTransactions transactions = new DeletionTransactions(pool, receipts, settings, plan, sql);
        this.oneTransaction = new OneTransaction(plan, sql, transactions, settings.partitionLockTimeout());
        this.batched = new Batched(pool, plan, sql, transactions, settings.batchSize(), settings.partitionLockTimeout());
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
                .onItem().invoke(counts -> observer.previewFinished(Duration.ofNanos(System.nanoTime() - started)))
                .onFailure().invoke(failure -> {
                    observer.previewFailed();
                    Log.errorf(failure, "deletion preview failed in %s for tenant %s", serviceName, tenant);
                });
    }

    /**
     * The deletion check: of these tenants, those holding at least one row in a planned table, each with the counts its
     * preview would answer (every planned table, plan order), in the order asked. One statement for the whole batch
     * ({@link TenantRowsSql#countEach}). A database error fails the Uni.
     */
    public Uni<Map<UUID, Map<String, Long>>> check(Collection<UUID> tenants) {
        List<UUID> distinct = List.copyOf(new LinkedHashSet<>(tenants));
        List<String> tables = plan.tableNames();
        return pool.preparedQuery(countEachSql).execute(Tuple.of(distinct.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Map<String, Long>> found = new HashMap<>();
            for (Row row : rows) {
                Map<String, Long> counts = new LinkedHashMap<>();
                for (int i = 0; i < tables.size(); i++) {
                    counts.put(tables.get(i), row.getLong(i + 1));
                }
                if (DeletionSummary.total(counts) > 0) {
                    found.put(row.getUUID(0), counts);
                }
            }
            Map<UUID, Map<String, Long>> inOrder = new LinkedHashMap<>();
            distinct.stream().filter(found::containsKey).forEach(tenant -> inOrder.put(tenant, found.get(tenant)));
            return inOrder;
        }).onFailure().invoke(failure -> Log.errorf(failure, "deletion check of %d tenants failed in %s", distinct.size(), serviceName));
    }

    /**
     * Deletes every row of the tenant: refused while the coverage check fails; in one transaction, or in
     * batches when the service has a batch size or the call a budget (a budgeted call on a tenant of at most
     * deletion.whole-tenant-rows rows: one transaction). Never fails: a failure is an outcome.
     */
    public Uni<DeletionOutcome> delete(DeletionRequest request) {
        DeletionStrategy strategy = settings.batchSize() > 0 || request.budget() != null ? batched : oneTransaction;
        // batches without a budget stop at deletion.max-call-duration (complete=false): a tenant that keeps writing
        // cannot hold the call for ever
        Duration bound = request.budget() != null ? request.budget() : strategy == batched ? settings.maxCallDuration() : null;
        DeletionCall call = new DeletionCall(request, plan.tableNames(), System.nanoTime(), bound);
        return schema.read(request.tenant())
                .invoke(known -> {
                    if (!known.problems().isEmpty()) {
                        throw new DeletionStopped(DeletionFailure.COVERAGE_FAILED, "the deletion plan does not cover the schema, so "
                                + "nothing is deleted: " + String.join("; ", known.problems()));
                    }
                })
                .call(() -> foreignKeyChecks.prepare(plan).invoke(checks -> call.checks(checks)))
                .call(known -> TenantPartitions.read(pool, plannedTables, known.partitioned(), request.tenant(), settings.wholePartitions())
                        .invoke(partitions -> call.partitions(partitions)))
                .call(() -> request.idempotencyKey() == null ? Uni.createFrom().voidItem()
                        : receipts.open(request.idempotencyKey(), request.tenant()).invoke(receipt -> call.receipt(receipt)))
                .chain(known -> {
                    if (!known.tenantHasRows()) {
                        // no rows: no deletion transaction, its locks, checks and commit would change nothing
                        call.markComplete();
                        return succeeded(call);
                    }
                    call.tablesWithRows(known.tablesWithRows());
                    DeletionStrategy running = wholeTenant(strategy, known, call) ? oneTransaction : strategy;
                    return running.delete(call).chain(() -> succeeded(call))
                            .onFailure().recoverWithUni(failure -> failed(call, running, failure));
                })
                .onFailure().recoverWithUni(failure -> failed(call, strategy, failure));
    }

    /**
     * A budgeted call on a small tenant: the whole tenant is one batch (deletion.whole-tenant-rows). Not a later call
     * under the same key: what earlier calls deleted below the few rows left (children not yet vacuumed) is what a
     * parent's foreign-key checks visit, uncounted here: the 5,000,000-row benchmark's last call, 9,977 parents in one
     * transaction, took 1.0-1.8 s.
     */
    private boolean wholeTenant(DeletionStrategy strategy, SchemaVersion.Known known, DeletionCall call) {
        return strategy == batched && settings.batchSize() <= 0 && known.rows() <= settings.wholeTenantRows()
                && (call.receipt() == null || call.receipt().number() == 1);
    }

    private Uni<DeletionOutcome> succeeded(DeletionCall call) {
        observer.rowsDeleted(call.deleted());
        return reportedCounts(call, call.complete()).map(counts -> {
            DeletionSummary summary = summary(call, counts, call.complete(), List.of(), true);
            observer.deletionFinished("success", call.elapsed());
            Log.infof("deleted %d rows of tenant %s in %s in %d ms%s (%s; foreign keys: %s)", call.total(), call.tenant(), serviceName,
                    call.elapsed().toMillis(), call.complete() ? "" : ", rows remain", call.deleted(),
                    call.checks().eligibility().describe());
            return DeletionOutcome.succeeded(summary);
        });
    }

    private Uni<DeletionOutcome> failed(DeletionCall call, DeletionStrategy strategy, Throwable failure) {
        DeletionFailure kind = failure instanceof DeletionStopped stopped ? stopped.kind() : DeletionFailure.DATABASE_ERROR;
        // the answer says what failed in stable words (DatabaseFailure.describe, the diagnosis' verdicts); the server's
        // own message, its SQLSTATE and the stack go to this log line only, with the tenant and the key (<job>:<service>)
        String message = failure instanceof DeletionStopped ? failure.getMessage() : DatabaseFailure.of(failure).describe();
        String key = call.request().idempotencyKey() == null ? "" : ", Idempotency-Key " + call.request().idempotencyKey();
        if (kind == DeletionFailure.DATABASE_ERROR) {
            Log.errorf(failure, "tenant deletion failed in %s for tenant %s%s: %s; cause: %s", serviceName, call.tenant(), key,
                    message, DatabaseFailure.of(failure).detail());
        } else {
            Log.warnf("tenant deletion of %s in %s%s: %s: %s", call.tenant(), serviceName, key, kind.error(), message);
        }
        observer.deletionFailed(kind);
        observer.rowsDeleted(call.deleted());
        return strategy.completeAfterFailure(call).chain(complete -> reportedCounts(call, null)
                .onFailure().recoverWithItem(call.deleted())
                .map(counts -> {
                    observer.deletionFinished(kind.metricKind(), call.elapsed());
                    return new DeletionOutcome(summary(call, counts, complete, List.of(message), false), kind, message);
                }));
    }

    /** With a key: the totals of every call under it (recording the call's end); without: this call's counts. */
    private Uni<Map<String, Long>> reportedCounts(DeletionCall call, Boolean complete) {
        if (call.receipt() == null) {
            return Uni.createFrom().item(call.deleted());
        }
        return complete == null ? receipts.totals(call.receipt().key(), plan.tableNames())
                : receipts.finish(call.receipt(), complete, plan.tableNames());
    }

    private DeletionSummary summary(DeletionCall call, Map<String, Long> counts, boolean complete, List<String> errors, boolean success) {
        return new DeletionSummary(call.tenant().toString(), serviceName, counts, DeletionSummary.total(counts), complete,
                new ArrayList<>(errors), success, call.elapsed().toMillis(), call.receipt() == null ? null : call.receipt().describe());
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
}
