package dev.tenantdeletion.deletion.coverage;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import dev.tenantdeletion.deletion.catalog.ForeignKeys;
import dev.tenantdeletion.deletion.engine.Receipts;
import dev.tenantdeletion.deletion.engine.SchemaCoverage;
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
 * no table is deleted before a table that references it. A retained table must not reference the tenant's deleted rows.
 * A partition is judged as its partitioned table (the plan names the root); a referencing table of another schema is
 * named schema-qualified.
 */
@ApplicationScoped
public class CoverageCheck implements SchemaCoverage {

    /** Tables (not views; partitioned tables, not their partitions), and whether each has a tenant_id column. */
    private static final String TABLES = """
            select c.relname, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                                      and a.attnum > 0 and not a.attisdropped) as has_tenant
            from pg_class c
            join pg_namespace ns on ns.oid = c.relnamespace
            where ns.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition""";

    /** The engine's own tables: bookkeeping about deletions, not the tenant's data (see db/deletion-engine). */
    static final Set<String> ENGINE_TABLES = Set.of(Receipts.TABLE);

    private final Pool pool;

    public CoverageCheck(Pool pool) {
        this.pool = pool;
    }

    public Uni<CoverageReport> check(DeletionPlan plan) {
        return check(plan, plan.tableNames());
    }

    @Override
    public Uni<List<String>> problems(DeletionPlan plan) {
        return check(plan).map(CoverageReport::problems);
    }

    /**
     * The plan's tables judged in {@code order} (every planned table once) instead of the plan's own: how the
     * suites show that a wrong order is refused, without a plan that could delete in it.
     */
    public Uni<CoverageReport> check(DeletionPlan plan, List<String> order) {
        return pool.query(TABLES).execute()
                // every key into the service's schema too: a table of another schema referencing a planned table is a
                // referrer like any other (named schema-qualified)
                .chain(tableRows -> ForeignKeys.read(pool).map(keys -> evaluate(plan, order, tables(tableRows), keys)));
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
            } else if (table.reachedThroughParent() && table.hasTenantId() != Boolean.TRUE.equals(tables.get(name))) {
                // the engine's statements test a path table's own tenant_id exactly when its entity says it has one
                problems.add("planned table " + name + (table.hasTenantId()
                        ? "'s entity extends TenantOwnedEntity, but the table has no tenant_id column"
                        : " has a tenant_id column, but its entity does not extend TenantOwnedEntity: rows of another tenant"
                                + " under this tenant's " + table.parent().table() + " would be taken for this tenant's"));
            } else if (table.reachedThroughParent() && table.hasTenantId() && foreignKeys.stream()
                    .anyMatch(fk -> isPath(table, fk) && fk.deletesOrChangesChildren())) {
                ForeignKey path = foreignKeys.stream().filter(fk -> isPath(table, fk)).findFirst().orElseThrow();
                problems.add("planned table " + name + " has a tenant_id of its own and is reached through " + table.parent().table()
                        + " with ON DELETE " + path.onDeleteAction() + " (constraint " + path.name() + "): deleting this tenant's "
                        + table.parent().table() + " would make the database change another tenant's rows of " + name
                        + " uncounted; use NO ACTION or RESTRICT");
            }
            if (table.selfReference() != null && foreignKeys.stream().noneMatch(fk -> fk.child().table().equals(name)
                    && fk.parent().table().equals(name) && fk.columnNames().equals(table.selfReference()))) {
                problems.add("planned table " + name + " declares the self-reference " + table.selfReference()
                        + ", but the schema has no such foreign key");
            }
        }
        unplannedReferrers(plan, foreignKeys, problems);
        for (ForeignKey fk : foreignKeys) {
            String childName = fk.child().table();
            String parentName = fk.parent().table();
            int child = order.indexOf(childName);
            int parent = order.indexOf(parentName);
            if (parent < 0 || child < 0) {
                continue;
            }
            PlannedTable childTable = plan.table(childName).orElseThrow();
            if (childName.equals(parentName)) {
                if (!fk.columnNames().equals(childTable.selfReference())) {
                    problems.add("table " + childName + " references itself (constraint " + fk.name() + ", column "
                            + fk.columnNames() + "): declare it .selfReferencing(\"" + fk.columnNames()
                            + "\") so batched deletion removes the leaves of the tree first");
                }
                continue;
            }
            if (child > parent) {
                problems.add("table " + childName + " references " + parentName + " (constraint " + fk.name()
                        + ") and must come before it in the deletion plan");
            }
            if (fk.deletesOrChangesChildren() && !isPath(childTable, fk)) {
                problems.add("table " + childName + " references " + parentName + " with ON DELETE " + fk.onDeleteAction()
                        + " (constraint " + fk.name() + ") but is not planned through it, so the database would change its"
                        + " rows uncounted: plan it as PlannedTable.through(…, \"" + fk.columnNames() + "\", …)");
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
        Set<String> refusedRetained = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ForeignKey fk : foreignKeys) {
                String child = fk.child().table();
                if (reached.contains(fk.parent().table()) && plan.retained().containsKey(child) && refusedRetained.add(child)) {
                    // its rows would keep the tenant's rows from going (the deletion would loop on its own rows and fail)
                    // or, with an ON DELETE action, be changed uncounted: a kept table must not hang under deleted rows
                    String kind = plan.tableNames().contains(fk.parent().table()) ? "planned table " : "table ";
                    problems.add("retained table " + child + " references " + kind + fk.parent().table() + " (constraint " + fk.name()
                            + ", column " + fk.columnNames() + "), whose rows of the tenant are deleted: drop that foreign key,"
                            + " or plan the table instead of retaining it");
                }
                if (reached.contains(fk.parent().table()) && !reached.contains(child) && !plan.retained().containsKey(child)) {
                    reached.add(child);
                    grew = true;
                    String kind = plan.tableNames().contains(fk.parent().table()) ? "planned table " : "table ";
                    problems.add("table " + child + " references " + kind + fk.parent().table() + " (constraint " + fk.name()
                            + ", column " + fk.columnNames() + ") but is not in the plan, so the tenant's rows could not be deleted:"
                            + " plan it (PlannedTable.through for a table without tenant_id) or retain it");
                }
            }
        }
    }

    private static boolean isPath(PlannedTable table, ForeignKey fk) {
        return table.reachedThroughParent() && fk.child().table().equals(table.tableName())
                && fk.parent().table().equals(table.parent().table()) && fk.columnNames().equals(table.parent().foreignKeyColumn());
    }

    private static boolean kept(DeletionPlan plan, String table) {
        return plan.retained().containsKey(table) || ENGINE_TABLES.contains(table);
    }

    private static Map<String, Boolean> tables(Iterable<Row> rows) {
        Map<String, Boolean> tables = new TreeMap<>();
        rows.forEach(row -> tables.put(row.getString(0), row.getBoolean(1)));
        return tables;
    }
}
