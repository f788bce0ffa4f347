package dev.tenantdeletion.deletion.coverage;

import dev.tenantdeletion.deletion.engine.Receipts;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares a deletion plan with the service's schema as the database sees it (pg_class, pg_attribute,
 * pg_constraint): every table with a tenant_id column is planned (or explicitly retained, or the engine's own
 * receipts); every table that references a planned table through a foreign key, directly or through other
 * tables, whatever its ON DELETE action, is planned (with its path) or retained; a table reached through a parent
 * is reached through a foreign key that exists; an ON DELETE CASCADE / SET NULL / SET DEFAULT child is planned
 * through that key, so its rows are deleted and counted before their parent; a self-reference is declared; and
 * no table is deleted before a table that references it.
 */
@ApplicationScoped
public class CoverageCheck {

    /** Tables (not views; partitioned tables, not their partitions), and whether each has a tenant_id column. */
    private static final String TABLES = """
            select c.relname, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                                      and a.attnum > 0 and not a.attisdropped) as has_tenant
            from pg_class c
            join pg_namespace ns on ns.oid = c.relnamespace
            where ns.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition""";

    /** The engine's own tables: bookkeeping about deletions, not the tenant's data (see db/deletion-engine). */
    static final Set<String> ENGINE_TABLES = Set.of(Receipts.TABLE);

    private static final String FOREIGN_KEYS = """
            select con.conname as constraint_name, child.relname as child, parent.relname as parent,
                   con.confdeltype::text as on_delete,
                   (select string_agg(a.attname, ',' order by k.i) from unnest(con.conkey) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns
            from pg_constraint con
            join pg_class child on child.oid = con.conrelid
            join pg_class parent on parent.oid = con.confrelid
            join pg_namespace ns on ns.oid = child.relnamespace
            where con.contype = 'f' and ns.nspname = current_schema()""";

    private final Pool pool;

    public CoverageCheck(Pool pool) {
        this.pool = pool;
    }

    public Uni<CoverageReport> check(DeletionPlan plan) {
        return check(plan, plan.tableNames());
    }

    /**
     * The plan's tables judged in {@code order} (every planned table once) instead of the plan's own: how the
     * suites show that a wrong order is refused, without a plan that could delete in it.
     */
    public Uni<CoverageReport> check(DeletionPlan plan, List<String> order) {
        return pool.query(TABLES).execute()
                .chain(tableRows -> pool.query(FOREIGN_KEYS).execute()
                        .map(fkRows -> evaluate(plan, order, tables(tableRows), foreignKeys(fkRows))));
    }

    /** For a catalog where every table has a tenant_id column. */
    static CoverageReport evaluate(DeletionPlan plan, Set<String> tenantTables, List<ForeignKey> foreignKeys) {
        return evaluate(plan, plan.tableNames(), tenantTables, foreignKeys);
    }

    /** For a catalog where every table has a tenant_id column, in {@code order}. */
    static CoverageReport evaluate(DeletionPlan plan, List<String> order, Set<String> tenantTables, List<ForeignKey> foreignKeys) {
        Map<String, Boolean> tables = new TreeMap<>();
        tenantTables.forEach(t -> tables.put(t, true));
        return evaluate(plan, order, tables, foreignKeys);
    }

    /** {@code tables}: every table of the schema → whether it has a tenant_id column. */
    static CoverageReport evaluate(DeletionPlan plan, Map<String, Boolean> tables, List<ForeignKey> foreignKeys) {
        return evaluate(plan, plan.tableNames(), tables, foreignKeys);
    }

    private static CoverageReport evaluate(DeletionPlan plan, List<String> order, Map<String, Boolean> tables,
            List<ForeignKey> foreignKeys) {
        if (order.size() != plan.tables().size() || !order.containsAll(plan.tableNames())) {
            throw new IllegalArgumentException("an order must name every planned table once: " + order);
        }
        List<String> problems = new ArrayList<>();
        tables.forEach((table, hasTenant) -> {
            if (hasTenant && !order.contains(table) && !kept(plan, table)) {
                problems.add("table " + table + " has a tenant_id column but is not in the deletion plan");
            }
        });
        for (PlannedTable table : plan.tables()) {
            String name = table.tableName();
            if (!table.reachedThroughParent() && !Boolean.TRUE.equals(tables.get(name))) {
                problems.add("planned table " + name + " does not exist with a tenant_id column (migrations not applied?)");
            } else if (table.reachedThroughParent() && !tables.containsKey(name)) {
                problems.add("planned table " + name + " does not exist (migrations not applied?)");
            } else if (table.reachedThroughParent() && foreignKeys.stream().noneMatch(fk -> isPath(table, fk))) {
                problems.add("planned table " + name + " is reached through " + name + "." + table.parent().foreignKeyColumn()
                        + " → " + table.parent().table() + ", but the schema has no such foreign key");
            }
            if (table.selfReference() != null && foreignKeys.stream().noneMatch(fk -> fk.child().equals(name)
                    && fk.parent().equals(name) && fk.columns().equals(table.selfReference()))) {
                problems.add("planned table " + name + " declares the self-reference " + table.selfReference()
                        + ", but the schema has no such foreign key");
            }
        }
        unplannedReferrers(plan, foreignKeys, problems);
        for (ForeignKey fk : foreignKeys) {
            int child = order.indexOf(fk.child());
            int parent = order.indexOf(fk.parent());
            if (parent < 0 || child < 0) {
                continue;
            }
            PlannedTable childTable = plan.table(fk.child()).orElseThrow();
            if (fk.child().equals(fk.parent())) {
                if (!fk.columns().equals(childTable.selfReference())) {
                    problems.add("table " + fk.child() + " references itself (constraint " + fk.constraint() + ", column "
                            + fk.columns() + "): declare it .selfReferencing(\"" + fk.columns()
                            + "\") so batched deletion removes the leaves of the tree first");
                }
                continue;
            }
            if (child > parent) {
                problems.add("table " + fk.child() + " references " + fk.parent() + " (constraint " + fk.constraint()
                        + ") and must come before it in the deletion plan");
            }
            if (fk.deletesOrChangesChildren() && !isPath(childTable, fk)) {
                problems.add("table " + fk.child() + " references " + fk.parent() + " with ON DELETE " + fk.onDeleteAction()
                        + " (constraint " + fk.constraint() + ") but is not planned through it, so the database would change its"
                        + " rows uncounted: plan it as PlannedTable.through(…, \"" + fk.columns() + "\", …)");
            }
        }
        return new CoverageReport(problems);
    }

    /**
     * Every table that can reference the tenant's rows, directly or through other tables, must be planned or
     * retained: starting from the planned tables, each foreign key into the reached set adds its table; an
     * unplanned one is named with the key that reaches it.
     */
    private static void unplannedReferrers(DeletionPlan plan, List<ForeignKey> foreignKeys, List<String> problems) {
        Set<String> reached = new LinkedHashSet<>(plan.tableNames());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ForeignKey fk : foreignKeys) {
                if (reached.contains(fk.parent()) && !reached.contains(fk.child()) && !plan.retained().containsKey(fk.child())) {
                    reached.add(fk.child());
                    grew = true;
                    String kind = plan.tableNames().contains(fk.parent()) ? "planned table " : "table ";
                    problems.add("table " + fk.child() + " references " + kind + fk.parent() + " (constraint " + fk.constraint()
                            + ", column " + fk.columns() + ") but is not in the plan, so the tenant's rows could not be deleted:"
                            + " plan it (PlannedTable.through for a table without tenant_id) or retain it");
                }
            }
        }
    }

    private static boolean isPath(PlannedTable table, ForeignKey fk) {
        return table.reachedThroughParent() && fk.child().equals(table.tableName()) && fk.parent().equals(table.parent().table())
                && fk.columns().equals(table.parent().foreignKeyColumn());
    }

    private static boolean kept(DeletionPlan plan, String table) {
        return plan.retained().containsKey(table) || ENGINE_TABLES.contains(table);
    }

    private static Map<String, Boolean> tables(Iterable<Row> rows) {
        Map<String, Boolean> tables = new TreeMap<>();
        rows.forEach(row -> tables.put(row.getString(0), row.getBoolean(1)));
        return tables;
    }

    private static List<ForeignKey> foreignKeys(Iterable<Row> rows) {
        List<ForeignKey> keys = new ArrayList<>();
        rows.forEach(row -> keys.add(new ForeignKey(row.getString("constraint_name"), row.getString("child"),
                row.getString("parent"), row.getString("columns"), row.getString("on_delete").charAt(0))));
        return keys;
    }

    /** A foreign key as pg_constraint has it; {@code onDelete} is confdeltype (a, r, c, n, d). */
    record ForeignKey(String constraint, String child, String parent, String columns, char onDelete) {

        ForeignKey(String constraint, String child, String parent) {
            this(constraint, child, parent, "", 'a');
        }

        boolean deletesOrChangesChildren() {
            return onDelete == 'c' || onDelete == 'n' || onDelete == 'd';
        }

        String onDeleteAction() {
            return Map.of('c', "CASCADE", 'n', "SET NULL", 'd', "SET DEFAULT", 'r', "RESTRICT", 'a', "NO ACTION")
                    .getOrDefault(onDelete, String.valueOf(onDelete));
        }
    }
}
