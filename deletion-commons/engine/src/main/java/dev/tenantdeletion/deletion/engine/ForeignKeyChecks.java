package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How a deletion transaction enforces the foreign keys into the rows it deletes.
 *
 * <p><b>triggers</b>: PostgreSQL's own RI triggers, one index probe per deleted parent row (~15 µs a row: most of
 * a large deletion's time). <b>fast</b>: {@code SET LOCAL session_replication_role = replica} turns every trigger of
 * the deleting transaction off; the planned DELETEs run children first and return the ids of the rows of every
 * referenced table; then, before commit and with the parameter back to {@code origin}, one set-based statement per
 * foreign key into such a table proves that no row anywhere still references a deleted id. A hit throws
 * {@link Violation}, which rolls the transaction back and is diagnosed exactly like a trigger's 23503.
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
 */
@ApplicationScoped
public class ForeignKeyChecks {

    public enum Mode {
        FAST, TRIGGERS;

        public String label() {
            return name().toLowerCase();
        }
    }

    /** The mode a deletion would use now, and if it is the trigger path, why. */
    public record Eligibility(Mode mode, String reason) {
        public String describe() {
            return mode.label() + (reason == null ? "" : " (" + reason + ")");
        }
    }

    /** A foreign key {@code child.column → parent(id)} into a planned table. */
    record ForeignKey(String constraint, String constraintName, String child, String childName, String column, String parent) {
    }

    /** Every foreign key into a planned table, with its ON DELETE action and whether it is a single uuid column to id. */
    private static final String FOREIGN_KEYS = """
            select quote_ident(con.conname) as constraint_q, con.conname, quote_ident(child.relname) as child_q, child.relname as child,
                   parent.relname as parent, con.confdeltype::text as on_delete, quote_ident(ca.attname) as child_column,
                   (cardinality(con.conkey) = 1 and pa.attname = 'id' and pa.atttypid = 'uuid'::regtype) as simple
              from pg_constraint con
              join pg_class child on child.oid = con.conrelid
              join pg_class parent on parent.oid = con.confrelid
              join pg_namespace ns on ns.oid = parent.relnamespace
              left join pg_attribute ca on ca.attrelid = con.conrelid and ca.attnum = con.conkey[1]
              left join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
             where con.contype = 'f' and ns.nspname = current_schema() and parent.relname = any($1)""";

    /** Triggers of their own (not the internal RI triggers) on the planned tables. */
    private static final String USER_TRIGGERS = """
            select 1 from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_namespace ns on ns.oid = c.relnamespace
             where not tg.tgisinternal and ns.nspname = current_schema() and c.relname = any($1)""";

    private static final String TRIGGER_TABLES = """
            select string_agg(distinct c.relname || '.' || tg.tgname, ', ') as triggers
              from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_namespace ns on ns.oid = c.relnamespace
             where not tg.tgisinternal and ns.nspname = current_schema() and c.relname = any($1)""";

    /** PostgreSQL 15+ knows parameter privileges (a superuser has them all); before, only a superuser may set it. */
    private static final String PRIVILEGE = """
            select current_setting('server_version_num')::int >= 150000 as pg15,
                   (select rolsuper from pg_roles where rolname = current_user) as superuser""";

    /**
     * Run first in a fast-mode transaction: turns the triggers off for this transaction only, unless a planned table
     * carries a trigger of its own at this moment (then no row: the transaction takes the trigger path).
     */
    private static final String TRIGGERS_OFF = "select set_config('session_replication_role', 'replica', true) where not exists ("
            + USER_TRIGGERS + ")";

    private static final String TRIGGERS_ON = "set_config('session_replication_role', 'origin', true)";

    private final Pool pool;
    private final DeletionSettings settings;
    private final AtomicReference<Mode> lastMode = new AtomicReference<>();
    private final MeterRegistry registry;
    private final String service;

    public ForeignKeyChecks(Pool pool, DeletionSettings settings, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.pool = pool;
        this.settings = settings;
        this.registry = registry;
        this.service = service;
    }

    /** The mode now (and it becomes the gauge's value). */
    public Uni<Eligibility> evaluate(DeletionPlan plan) {
        return prepare(plan).map(Prepared::eligibility);
    }

    /** Reads the catalog once per call: the foreign keys to check and whether the fast path may be used at all. */
    Uni<Prepared> prepare(DeletionPlan plan) {
        String[] tables = plan.tableNames().toArray(String[]::new);
        if (settings.fkChecks() == DeletionSettings.FkChecks.TRIGGERS) {
            return Uni.createFrom().item(reported(new Prepared(new Eligibility(Mode.TRIGGERS, "deletion.fk-checks=triggers"), Map.of(),
                    tables, 0)));
        }
        return privilege().chain(mayReplica -> pool.preparedQuery(FOREIGN_KEYS).execute(Tuple.of(tables))
                .chain(fkRows -> pool.preparedQuery(TRIGGER_TABLES).execute(Tuple.of(tables)).map(triggerRows -> {
                    Map<String, List<ForeignKey>> byParent = new LinkedHashMap<>();
                    List<String> reasons = new ArrayList<>();
                    if (!mayReplica) {
                        reasons.add("the role may not set session_replication_role");
                    }
                    Set<String> planned = Set.copyOf(plan.tableNames());
                    for (Row fk : fkRows) {
                        String child = fk.getString("child");
                        String onDelete = fk.getString("on_delete");
                        if (!Boolean.TRUE.equals(fk.getBoolean("simple"))) {
                            reasons.add("foreign key " + fk.getString("conname") + " on " + child
                                    + " is not a single uuid column referencing id");
                        }
                        if (!"a".equals(onDelete) && !"r".equals(onDelete) && !planned.contains(child)) {
                            reasons.add("table " + child + " has an ON DELETE action (constraint " + fk.getString("conname")
                                    + ") but is not planned");
                        }
                        byParent.computeIfAbsent(fk.getString("parent"), p -> new ArrayList<>()).add(new ForeignKey(
                                fk.getString("constraint_q"), fk.getString("conname"), fk.getString("child_q"), child,
                                fk.getString("child_column"), fk.getString("parent")));
                    }
                    String triggers = triggerRows.iterator().next().getString("triggers");
                    if (triggers != null) {
                        reasons.add("planned tables carry triggers of their own: " + triggers);
                    }
                    Eligibility eligibility = reasons.isEmpty() ? new Eligibility(Mode.FAST, null)
                            : new Eligibility(Mode.TRIGGERS, String.join("; ", reasons));
                    return reported(new Prepared(eligibility, eligibility.mode() == Mode.FAST ? byParent : Map.of(), tables,
                            settings.fkChecksMinBatchRows()));
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

    private Prepared reported(Prepared prepared) {
        if (lastMode.getAndSet(prepared.eligibility().mode()) == null) {
            for (Mode mode : Mode.values()) {
                Gauge.builder("tenant.deletion.fk.check.mode", lastMode, m -> m.get() == mode ? 1 : 0)
                        .description("The foreign-key check mode of the last evaluation (1 = in use): fast or triggers")
                        .tags("service", service, "mode", mode.label())
                        .register(registry);
            }
        }
        return prepared;
    }

    /** One call's view of the catalog; {@link #begin} once per deletion transaction. */
    static final class Prepared {
        private final Eligibility eligibility;
        private final Map<String, List<ForeignKey>> byParent;
        private final String[] tables;
        private final int minBatchRows;

        Prepared(Eligibility eligibility, Map<String, List<ForeignKey>> byParent, String[] tables, int minBatchRows) {
            this.eligibility = eligibility;
            this.byParent = byParent;
            this.tables = tables;
            this.minBatchRows = minBatchRows;
        }

        Eligibility eligibility() {
            return eligibility;
        }

        /**
         * After the tenant lock: the triggers off for this transaction if it may take the fast path now; {@code rows}
         * is the batch size (Integer.MAX_VALUE for one transaction): below deletion.fk-checks-min-batch-rows, the triggers.
         */
        Uni<Transaction> begin(SqlConnection connection, int rows) {
            if (eligibility.mode() != Mode.FAST || rows < minBatchRows) {
                return Uni.createFrom().item(new Transaction(false, Map.of()));
            }
            return connection.preparedQuery(TRIGGERS_OFF).execute(Tuple.of((Object) tables))
                    .map(result -> new Transaction(result.rowCount() == 1, byParent));
        }
    }

    /** One deletion transaction: whether its triggers are off, and the ids it deleted from referenced tables. */
    static final class Transaction {
        final boolean fast;
        private final Map<String, List<ForeignKey>> byParent;
        private final Map<String, List<UUID>> deleted = new HashMap<>();

        Transaction(boolean fast, Map<String, List<ForeignKey>> byParent) {
            this.fast = fast;
            this.byParent = byParent;
        }

        /** The DELETE, with {@code returning id} when its table is referenced and the checks need the ids. */
        String statement(String table, String delete) {
            return fast && byParent.containsKey(table) ? delete + " returning id" : delete;
        }

        void deleted(String table, RowSet<Row> rows) {
            if (fast && byParent.containsKey(table)) {
                List<UUID> ids = deleted.computeIfAbsent(table, t -> new ArrayList<>());
                rows.forEach(row -> ids.add(row.getUUID(0)));
            }
        }

        /**
         * Before commit, in one statement (one round trip, one fresh snapshot): the triggers back on for whatever the
         * transaction still writes (the receipt), and per foreign key into a table rows were deleted from, does any
         * row still reference a deleted id? (An index scan of the key's column per id.)
         */
        Uni<Void> verify(SqlConnection connection) {
            if (!fast) {
                return Uni.createFrom().voidItem();
            }
            List<ForeignKey> keys = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            StringBuilder statement = new StringBuilder("select " + TRIGGERS_ON);
            deleted.forEach((table, ids) -> {
                if (!ids.isEmpty()) {
                    parameters.add(ids.toArray(UUID[]::new));
                    String parameter = "$" + parameters.size();
                    for (ForeignKey fk : byParent.get(table)) {
                        keys.add(fk);
                        statement.append(", exists (select 1 from ").append(fk.child()).append(" c where c.").append(fk.column())
                                .append(" = any(").append(parameter).append("))");
                    }
                }
            });
            Uni<RowSet<Row>> checked = parameters.isEmpty() ? connection.query(statement.toString()).execute()
                    : connection.preparedQuery(statement.toString()).execute(Tuple.from(parameters));
            return checked.invoke(rows -> {
                Row row = rows.iterator().next();
                for (int i = 0; i < keys.size(); i++) {
                    if (row.getBoolean(i + 1)) {
                        throw new Violation(keys.get(i));
                    }
                }
            }).replaceWithVoid();
        }
    }

    /** A row still references a row the transaction deleted: handled as PostgreSQL's own 23503 would be. */
    static final class Violation extends RuntimeException {
        final String table;
        final String constraint;

        Violation(ForeignKey fk) {
            super("update or delete on table \"" + fk.parent() + "\" violates foreign key constraint \"" + fk.constraintName()
                    + "\" on table \"" + fk.childName() + "\" (set-based check)");
            this.table = fk.childName();
            this.constraint = fk.constraintName();
        }
    }
}
