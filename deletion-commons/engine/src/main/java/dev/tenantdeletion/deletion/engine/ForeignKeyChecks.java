package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import dev.tenantdeletion.deletion.catalog.ForeignKeys;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
 * trigger of the deleting transaction off; the planned DELETEs run children first, and those of every referenced
 * table put the ids they delete into a temporary table of the transaction ({@code ON COMMIT DROP}: the ids stay in
 * the database, so the service's heap does not grow with the tenant); then, before commit and with the parameter back
 * to {@code origin}, one set-based statement per foreign key into such a table proves that no row anywhere still
 * references a deleted id. A hit throws
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
 * trigger or rule of its own (checked inside every transaction, under lock), and the role may set the parameter (superuser or
 * PostgreSQL 15+'s {@code GRANT SET ON PARAMETER session_replication_role}).
 *
 * <p>The triggers are off only under lock (third edition, "Bounded resources"): every fast transaction first takes
 * {@code ROW EXCLUSIVE} on the planned tables (and, through LOCK TABLE's recursion, their partitions), the lock its
 * DELETEs take anyway and the one that {@code CREATE TRIGGER}, {@code ADD FOREIGN KEY} (also a new table's
 * {@code REFERENCES}) and {@code CREATE RULE} must wait for. Only then, in a statement whose snapshot is younger
 * than the lock, it compares the catalog's {@link #FINGERPRINT} (foreign keys into the planned tables, their own
 * triggers and rules, partitions included) with the one the call's {@link PreparedChecks} were built from; any
 * difference, and the transaction keeps the triggers (and this cache is dropped). So the catalog the transaction
 * checked cannot change until it commits.
 *
 * <p>What only DDL can change is read once and cached ({@link #prepare}): a call reads no catalog before its first
 * lock; the in-transaction comparison (one short statement in the same round trip as the lock) is what proves the
 * cache still true. The readiness check's {@link #evaluate} reads it afresh. {@link PreparedChecks} begins each of
 * a call's transactions, and {@link CheckedTransaction} runs its DELETEs and its checks.
 */
@ApplicationScoped
public class ForeignKeyChecks {

    /** The mode a deletion would use now, and if it is the trigger path, why. */
    public record Eligibility(ForeignKeyMode mode, String reason) {
        public String describe() {
            return mode.label() + (reason == null ? "" : " (" + reason + ")");
        }
    }

    /**
     * The planned tables ({@code $1}, in the service's schema) and every partition or inheritance child below them
     * (pg_inherits, recursively): a trigger or rule on a single partition fires for the rows the DELETE of its
     * root removes. The CTE heads every catalog statement below.
     */
    static final String PLANNED_RELATIONS = """
            with recursive planned(oid) as (
                select c.oid from pg_class c where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
                   and c.relname = any(%s)
                union select i.inhrelid from pg_inherits i join planned p on p.oid = i.inhparent)
            """;

    /**
     * What the fast path rests on, as one text: the foreign keys into the planned relations (constraint, action,
     * both ends), their triggers of their own (not the internal RI triggers) and their rules (other than a view's
     * {@code _RETURN}), each with its enabled state. Equal fingerprints: the same keys to check and still no trigger
     * or rule that {@code session_replication_role = replica} would silence.
     */
    static final String FINGERPRINT = """
            md5(coalesce((select string_agg(con.oid::text || con.confdeltype::text || con.conrelid::text || '>' || con.confrelid::text, ','
                                            order by con.oid)
                            from pg_constraint con where con.contype = 'f' and con.confrelid in (select oid from planned)), '')
                || '|' || coalesce((select string_agg(tg.oid::text || tg.tgenabled::text, ',' order by tg.oid) from pg_trigger tg
                                     where not tg.tgisinternal and tg.tgrelid in (select oid from planned)), '')
                || '|' || coalesce((select string_agg(r.oid::text || r.ev_enabled::text, ',' order by r.oid) from pg_rewrite r
                                     where r.rulename <> '_RETURN' and r.ev_class in (select oid from planned)), ''))""";

    /** The fingerprint, and the planned relations' triggers and rules by name (why the fast path may not be used). */
    private static final String CATALOG = PLANNED_RELATIONS.formatted("$1") + """
            select %s as fingerprint,
                   (select string_agg(distinct c.relname || '.' || tg.tgname, ', ') from pg_trigger tg join pg_class c on c.oid = tg.tgrelid
                     where not tg.tgisinternal and tg.tgrelid in (select oid from planned)) as triggers,
                   (select string_agg(distinct c.relname || '.' || r.rulename, ', ') from pg_rewrite r join pg_class c on c.oid = r.ev_class
                     where r.rulename <> '_RETURN' and r.ev_class in (select oid from planned)) as rules""".formatted(FINGERPRINT);

    /** PostgreSQL 15+ knows parameter privileges (a superuser has them all); before, only a superuser may set it. */
    private static final String PRIVILEGE = """
            select current_setting('server_version_num')::int >= 150000 as pg15,
                   (select rolsuper from pg_roles where rolname = current_user) as superuser""";

    private final Pool pool;
    private final DeletionSettings settings;
    private final DeletionObserver observer;
    /** The last catalog read that found the fast path possible or not; null: read it at the next call. */
    private volatile PreparedChecks cached;

    public ForeignKeyChecks(Pool pool, DeletionSettings settings, DeletionObserver observer) {
        this.pool = pool;
        this.settings = settings;
        this.observer = observer;
    }

    /** The mode now, read afresh from the catalog (also reported to the {@link DeletionObserver}, and cached). */
    public Uni<Eligibility> evaluate(DeletionPlan plan) {
        return read(plan).map(PreparedChecks::eligibility);
    }

    /**
     * The checks a call's transactions begin with: cached, since only DDL (and a GRANT of the parameter) changes
     * them; each fast transaction proves the cache true under its locks ({@link PreparedChecks#begin}).
     */
    Uni<PreparedChecks> prepare(DeletionPlan plan) {
        PreparedChecks current = cached;
        return current != null ? Uni.createFrom().item(current) : read(plan);
    }

    /** The schema changed ({@link SchemaVersion}): the next call reads the catalog again. */
    void invalidate() {
        cached = null;
    }

    /** A fast transaction found the catalog changed: the next call reads it again. */
    void invalidate(PreparedChecks stale) {
        if (cached == stale) {
            cached = null;
        }
    }

    /**
     * Reads the catalog: the foreign keys to check and whether the fast path may be used at all. One REPEATABLE READ
     * transaction, so the keys, the triggers, the rules and the fingerprint are one snapshot's.
     */
    private Uni<PreparedChecks> read(DeletionPlan plan) {
        String[] tables = plan.tableNames().toArray(String[]::new);
        if (settings.fkChecks() == DeletionSettings.FkChecks.TRIGGERS) {
            return Uni.createFrom().item(reported(new PreparedChecks(this,
                    new Eligibility(ForeignKeyMode.TRIGGERS, "deletion.fk-checks=triggers"), Map.of(), tables, 0, null)));
        }
        Set<String> planned = Set.copyOf(plan.tableNames());
        return pool.withTransaction(connection -> connection.query("set transaction isolation level repeatable read read only").execute()
                .chain(() -> privilege(connection))
                .chain(mayReplica -> ForeignKeys.read(connection)
                .chain(keys -> connection.preparedQuery(CATALOG).execute(Tuple.of((Object) tables)).map(catalogRows -> {
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
                    Row catalog = catalogRows.iterator().next();
                    String triggers = catalog.getString("triggers");
                    if (triggers != null) {
                        reasons.add("planned tables carry triggers of their own: " + triggers);
                    }
                    String rules = catalog.getString("rules");
                    if (rules != null) {
                        // replica mode silences rules as it does triggers: an audit DO ALSO would not run, a DO INSTEAD
                        // soft delete would become a hard one
                        reasons.add("planned tables carry rules: " + rules);
                    }
                    Eligibility eligibility = reasons.isEmpty() ? new Eligibility(ForeignKeyMode.FAST, null)
                            : new Eligibility(ForeignKeyMode.TRIGGERS, String.join("; ", reasons));
                    boolean fast = eligibility.mode() == ForeignKeyMode.FAST;
                    PreparedChecks prepared = new PreparedChecks(this, eligibility, fast ? byParent : Map.of(), tables,
                            settings.fkChecksMinBatchRows(), fast ? catalog.getString("fingerprint") : null);
                    cached = prepared;
                    return reported(prepared);
                }))));
    }

    private static Uni<Boolean> privilege(SqlConnection connection) {
        return connection.query(PRIVILEGE).execute().chain(rows -> {
            Row row = rows.iterator().next();
            if (Boolean.TRUE.equals(row.getBoolean("superuser")) || !row.getBoolean("pg15")) {
                return Uni.createFrom().item(Boolean.TRUE.equals(row.getBoolean("superuser")));
            }
            return connection.query("select has_parameter_privilege('session_replication_role', 'SET') as may").execute()
                    .map(r -> r.iterator().next().getBoolean("may"));
        });
    }

    private PreparedChecks reported(PreparedChecks prepared) {
        observer.foreignKeyMode(prepared.eligibility().mode());
        return prepared;
    }
}
