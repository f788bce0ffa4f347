package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.metrics.DeletionMetrics;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Runs a service's {@link DeletionPlan}: previews with one count per table (one statement), deletes with one bulk
 * statement per table, children first. Row counts always come from the statements themselves.
 */
@ApplicationScoped
public class DeletionEngine {

    private final Mutiny.SessionFactory sessions;
    private final Pool pool;
    private final DeletionPlan plan;
    private final DeletionSettings settings;
    private final DeletionMetrics metrics;
    private final String serviceName;
    private final String countSql;

    public DeletionEngine(Mutiny.SessionFactory sessions, Pool pool, DeletionPlan plan, DeletionSettings settings,
            DeletionMetrics metrics, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.sessions = sessions;
        this.pool = pool;
        this.plan = plan;
        this.settings = settings;
        this.metrics = metrics;
        this.serviceName = serviceName;
        this.countSql = countStatement(plan);
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

    /** Deletes every row of the tenant, in one transaction or, with a batch size, in short batches. */
    public Uni<DeletionOutcome> delete(UUID tenant) {
        long started = System.nanoTime();
        Map<String, Long> deleted = zeroCounts();
        Uni<Boolean> run = settings.batchSize() > 0
                ? deleteInBatches(tenant, deleted)
                : deleteInOneTransaction(tenant, deleted);
        return run
                .map(complete -> outcome(tenant, deleted, complete, List.of(), null, started))
                .onFailure().recoverWithUni(failure -> failed(tenant, deleted, failure, started));
    }

    private Uni<Boolean> deleteInOneTransaction(UUID tenant, Map<String, Long> deleted) {
        return sessions.withStatelessTransaction(session -> lockTenant(session, tenant)
                .chain(() -> deleteTables(session, tenant, 0, new LinkedHashMap<>())))
                // only a committed transaction's counts are reported as deleted
                .map(counts -> {
                    deleted.putAll(counts);
                    return true;
                });
    }

    private Uni<Map<String, Long>> deleteTables(Mutiny.StatelessSession session, UUID tenant, int index,
            Map<String, Long> counts) {
        if (index == plan.tables().size()) {
            return Uni.createFrom().item(counts);
        }
        PlannedTable table = plan.tables().get(index);
        return session.createMutationQuery("delete from " + table.entityName() + " where tenantId = :tenant")
                .setParameter("tenant", tenant)
                .executeUpdate()
                .chain(rows -> {
                    counts.put(table.tableName(), rows.longValue());
                    return deleteTables(session, tenant, index + 1, counts);
                });
    }

    private Uni<Boolean> deleteInBatches(UUID tenant, Map<String, Long> deleted) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PlannedTable table : plan.tables()) {
            chain = chain.chain(() -> drainTable(table, tenant, deleted));
        }
        return chain.chain(() -> isEmpty(tenant));
    }

    /** Deletes batches of the table until one comes back short; each batch commits on its own. */
    private Uni<Void> drainTable(PlannedTable table, UUID tenant, Map<String, Long> deleted) {
        int batchSize = settings.batchSize();
        // by physical row address: "id in (select … limit)" planned a full-table hash semi join per batch
        // (benchmark, N=1,000,000: 309 ms a batch); ctid = any(array) is a TID scan of exactly the batch
        String sql = "delete from " + table.tableName() + " where ctid = any(array(select ctid from " + table.tableName()
                + " where tenant_id = :tenant limit :batch)) and tenant_id = :tenant";
        return sessions.withStatelessTransaction(session -> lockTenant(session, tenant)
                        .chain(() -> session.createNativeQuery(sql)
                                .setParameter("tenant", tenant)
                                .setParameter("batch", batchSize)
                                .executeUpdate()))
                .chain(rows -> {
                    deleted.merge(table.tableName(), rows.longValue(), Long::sum);
                    return rows < batchSize ? Uni.createFrom().voidItem() : drainTable(table, tenant, deleted);
                });
    }

    /** Serialises deletions of one tenant across calls and replicas until the transaction ends. */
    private Uni<Integer> lockTenant(Mutiny.StatelessSession session, UUID tenant) {
        long key = tenant.getMostSignificantBits() ^ tenant.getLeastSignificantBits();
        // run as a statement, not as a native SELECT: Hibernate never finds a native SELECT's cached
        // interpretation again, so each lock added an entry to one colliding hash bucket (JFR: 33 % of a DELETE's CPU)
        return session.createNativeQuery("select pg_advisory_xact_lock(:key)")
                .setParameter("key", key)
                .executeUpdate();
    }

    /**
     * All counts in one statement, one round trip: the per-table {@code count(*)} are scalar sub-selects of
     * one SELECT (the same index-only scans as separate statements). It runs on the reactive pool itself, not
     * as a Hibernate native query: Hibernate caches a native SELECT's interpretation under a key that never
     * matches again, so every call added an entry to one colliding hash bucket (JFR: 28 % of a preview's CPU).
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

    private static String countStatement(DeletionPlan plan) {
        return plan.tableNames().stream()
                .map(table -> "(select count(*) from " + table + " where tenant_id = $1)")
                .collect(Collectors.joining(", ", "select ", ""));
    }

    private Uni<Boolean> isEmpty(UUID tenant) {
        return countAll(tenant)
                .map(counts -> counts.values().stream().allMatch(c -> c == 0L));
    }

    private Uni<DeletionOutcome> failed(UUID tenant, Map<String, Long> deleted, Throwable failure, long started) {
        DatabaseFailure cause = DatabaseFailure.of(failure);
        String kind = cause.foreignKeyViolation() ? DeletionOutcome.FOREIGN_KEY_CONFLICT : DeletionOutcome.DATABASE_ERROR;
        Log.errorf(failure, "tenant deletion failed in %s for tenant %s (%s)", serviceName, tenant, kind);
        metrics.failure(kind);
        // in batched mode some batches may have committed: say whether anything is left
        Uni<Boolean> complete = settings.batchSize() > 0
                ? isEmpty(tenant).onFailure().recoverWithItem(false)
                : Uni.createFrom().item(false);
        return complete.map(isComplete -> outcome(tenant, deleted, isComplete, List.of(cause.describe()), kind, started));
    }

    private DeletionOutcome outcome(UUID tenant, Map<String, Long> deleted, boolean complete, List<String> errors,
            String failureKind, long started) {
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        metrics.rowsDeleted(deleted);
        metrics.deletionFinished(failureKind == null ? "success" : failureKind, duration);
        long total = deleted.values().stream().mapToLong(Long::longValue).sum();
        DeletionSummary summary = new DeletionSummary(tenant.toString(), serviceName, deleted, total, complete,
                new ArrayList<>(errors), failureKind == null, duration.toMillis());
        if (failureKind == null) {
            Log.infof("deleted %d rows of tenant %s in %s (%s)", total, tenant, serviceName, deleted);
        }
        return new DeletionOutcome(summary, failureKind);
    }

    private Map<String, Long> zeroCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        plan.tableNames().forEach(table -> counts.put(table, 0L));
        return counts;
    }
}
