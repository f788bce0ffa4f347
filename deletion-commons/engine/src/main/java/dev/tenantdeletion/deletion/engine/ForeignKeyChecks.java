package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import dev.tenantdeletion.deletion.catalog.ForeignKeys;
import dev.tenantdeletion.deletion.catalog.PlannedRelations;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a deletion transaction enforces the foreign keys into the rows it deletes ({@link ForeignKeyMode}).
 *
 * <p><b>triggers</b>: PostgreSQL's own RI triggers, one index probe per deleted parent row (most of a large
 * deletion's time, docs/benchmarks.md). <b>fast</b>: {@code SET LOCAL session_replication_role = replica} turns every
 * trigger of the deleting transaction off; the planned DELETEs run children first and return the ids of the rows of
 * every referenced table; then, before commit and with the parameter back to {@code origin}, one set-based statement
 * per foreign key into such a table proves that no row anywhere still references a deleted id. A hit throws
 * {@link CheckedTransaction.Violation}, which rolls the transaction back and is diagnosed exactly like a trigger's 23503.
 *
 * <p>Why this is as strict as the triggers under READ COMMITTED with concurrent writers: the DELETE of a parent
 * row takes its row lock (FOR UPDATE strength) until commit, and only the deleting session has its triggers off.
 * A writer inserting (or re-pointing) a child runs its own RI check, which locks the parent row FOR KEY SHARE:
 * (a) if it comes after our DELETE it waits for our commit and then fails on the parent being gone; (b) if its
 * child was committed before our check statement started, the check sees it, because under READ COMMITTED every
 * statement takes a fresh snapshot and the check runs after the last DELETE; (c) if it held its key-share lock
 * while our DELETE reached the row, our DELETE waited for its commit, so (b) applies. No child can therefore end up
 * referencing a deleted row, which is what the NO ACTION trigger guarantees too (it checks at the end of each
 * statement on the same fresh-snapshot semantics). With the parameter at {@code replica} ON DELETE CASCADE / SET
 * NULL actions do not fire either, and user triggers would silently not run: the fast path is therefore only used
 * when every such child is planned (the coverage check's rule, re-checked here), no planned table carries a
 * trigger of its own (checked inside every transaction), and the role may set the parameter (superuser or
 * PostgreSQL 15+'s {@code GRANT SET ON PARAMETER session_replication_role}).
 *
 * <p>This class reads the catalog once per call ({@link #prepare}); {@link PreparedChecks} begins each of the
 * call's transactions, and {@link CheckedTransaction} runs its DELETEs and its checks.
 */
@ApplicationScoped
public class ForeignKeyChecks {

    /** The mode a deletion would use now, and if it is the trigger path, why. */
    public record Eligibility(ForeignKeyMode mode, String reason) {
        public String describe() {
            return mode.label() + (reason == null ? "" : " (" + reason + ")");
        }
    }

    /** Triggers of their own (not the internal RI triggers) on the planned tables or any of their partitions. */
    static final String USER_TRIGGERS = "select 1 from pg_trigger tg where not tg.tgisinternal and tg.tgrelid in ("
            + PlannedRelations.oids("$1") + ")";

    private static final String TRIGGER_TABLES = "select string_agg(distinct tg.tgrelid::regclass::text || '.' || tg.tgname, ', ') as triggers"
            + " from pg_trigger tg where not tg.tgisinternal and tg.tgrelid in (" + PlannedRelations.oids("$1") + ")";

    /** PostgreSQL 15+ knows parameter privileges (a superuser has them all); before, only a superuser may set it. */
    private static final String PRIVILEGE = """
            select current_setting('server_version_num')::int >= 150000 as pg15,
                   (select rolsuper from pg_roles where rolname = current_user) as superuser""";

    private final Pool pool;
    private final DeletionSettings settings;
    private final DeletionObserver observer;

    public ForeignKeyChecks(Pool pool, DeletionSettings settings, DeletionObserver observer) {
        this.pool = pool;
        this.settings = settings;
        this.observer = observer;
    }

    /** The mode now (also reported to the {@link DeletionObserver}). */
    public Uni<Eligibility> evaluate(DeletionPlan plan) {
        return prepare(plan).map(PreparedChecks::eligibility);
    }

    /** Reads the catalog once per call: the foreign keys to check and whether the fast path may be used at all. */
    Uni<PreparedChecks> prepare(DeletionPlan plan) {
        String[] tables = plan.tableNames().toArray(String[]::new);
        if (settings.fkChecks() == DeletionSettings.FkChecks.TRIGGERS) {
            return Uni.createFrom().item(reported(new PreparedChecks(
                    new Eligibility(ForeignKeyMode.TRIGGERS, "deletion.fk-checks=triggers"), Map.of(), tables, 0)));
        }
        Set<String> planned = Set.copyOf(plan.tableNames());
        return privilege().chain(mayReplica -> ForeignKeys.read(pool)
                .chain(keys -> pool.preparedQuery(TRIGGER_TABLES).execute(Tuple.of((Object) tables)).map(triggerRows -> {
                    Map<String, List<ForeignKey>> byParent = new LinkedHashMap<>();
                    List<String> reasons = new ArrayList<>();
                    if (!mayReplica) {
                        reasons.add("the role may not set session_replication_role");
                    }
                    for (ForeignKey fk : keys) {
                        if (!fk.parent().inCurrentSchema() || !planned.contains(fk.parent().table())) {
                            continue;
                        }
                        String child = fk.child().table();
                        if (!fk.singleUuidToId()) {
                            reasons.add("foreign key " + fk.name() + " on " + child + " is not a single uuid column referencing id");
                        }
                        if (!fk.onlyRefuses() && !planned.contains(child)) {
                            reasons.add("table " + child + " has an ON DELETE action (constraint " + fk.name() + ") but is not planned");
                        }
                        byParent.computeIfAbsent(fk.parent().table(), p -> new ArrayList<>()).add(fk);
                    }
                    String triggers = triggerRows.iterator().next().getString("triggers");
                    if (triggers != null) {
                        reasons.add("planned tables carry triggers of their own: " + triggers);
                    }
                    Eligibility eligibility = reasons.isEmpty() ? new Eligibility(ForeignKeyMode.FAST, null)
                            : new Eligibility(ForeignKeyMode.TRIGGERS, String.join("; ", reasons));
                    return reported(new PreparedChecks(eligibility, eligibility.mode() == ForeignKeyMode.FAST ? byParent : Map.of(),
                            tables, settings.fkChecksMinBatchRows()));
                })));
    }

    private Uni<Boolean> privilege() {
        return pool.query(PRIVILEGE).execute().chain(rows -> {
            Row row = rows.iterator().next();
            if (Boolean.TRUE.equals(row.getBoolean("superuser")) || !row.getBoolean("pg15")) {
                return Uni.createFrom().item(Boolean.TRUE.equals(row.getBoolean("superuser")));
            }
            return pool.query("select has_parameter_privilege('session_replication_role', 'SET') as may").execute()
                    .map(r -> r.iterator().next().getBoolean("may"));
        });
    }

    private PreparedChecks reported(PreparedChecks prepared) {
        observer.foreignKeyMode(prepared.eligibility().mode());
        return prepared;
    }
}
