package dev.tenantdeletion.deletion.coverage;

import dev.tenantdeletion.deletion.engine.Receipts;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a deletion plan with the service's schema as the database sees it: every table with a
 * tenant_id column must be planned (or explicitly retained, or be the engine's own receipts), every planned
 * table must exist, and no
 * table may be deleted before a table that references it.
 */
@ApplicationScoped
public class CoverageCheck {

    /** Tables (not views; partitioned tables, not their partitions) with a tenant_id column. */
    private static final String TENANT_TABLES = """
            select c.relname from pg_class c
            join pg_namespace ns on ns.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid
            where ns.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
              and a.attname = 'tenant_id' and a.attnum > 0 and not a.attisdropped""";

    /** The engine's own tables: bookkeeping about deletions, not the tenant's data (see db/deletion-engine). */
    static final Set<String> ENGINE_TABLES = Set.of(Receipts.TABLE);

    private static final String FOREIGN_KEYS = """
            select con.conname as constraint_name, child.relname as child, parent.relname as parent
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
        return pool.query(TENANT_TABLES).execute()
                .chain(tenantRows -> pool.query(FOREIGN_KEYS).execute()
                        .map(fkRows -> evaluate(plan, names(tenantRows), foreignKeys(fkRows))));
    }

    static CoverageReport evaluate(DeletionPlan plan, Set<String> tenantTables, List<ForeignKey> foreignKeys) {
        List<String> problems = new ArrayList<>();
        List<String> order = plan.tableNames();
        for (String table : tenantTables) {
            if (!order.contains(table) && !plan.retained().containsKey(table) && !ENGINE_TABLES.contains(table)) {
                problems.add("table " + table + " has a tenant_id column but is not in the deletion plan");
            }
        }
        for (String table : order) {
            if (!tenantTables.contains(table)) {
                problems.add("planned table " + table + " does not exist with a tenant_id column (migrations not applied?)");
            }
        }
        for (ForeignKey fk : foreignKeys) {
            int child = order.indexOf(fk.child());
            int parent = order.indexOf(fk.parent());
            if (parent < 0 || fk.child().equals(fk.parent())) {
                continue;
            }
            if (child < 0 && !plan.retained().containsKey(fk.child())) {
                problems.add("table " + fk.child() + " references planned table " + fk.parent() + " (constraint "
                        + fk.constraint() + ") but is not in the plan, so the tenant's rows could not be deleted");
            } else if (child > parent) {
                problems.add("table " + fk.child() + " references " + fk.parent() + " (constraint " + fk.constraint()
                        + ") and must come before it in the deletion plan");
            }
        }
        return new CoverageReport(problems);
    }

    private static Set<String> names(Iterable<Row> rows) {
        Set<String> names = new TreeSet<>();
        rows.forEach(row -> names.add(row.getString(0)));
        return names;
    }

    private static List<ForeignKey> foreignKeys(Iterable<Row> rows) {
        List<ForeignKey> keys = new ArrayList<>();
        rows.forEach(row -> keys.add(new ForeignKey(row.getString("constraint_name"), row.getString("child"),
                row.getString("parent"))));
        return keys;
    }

    record ForeignKey(String constraint, String child, String parent) {
    }
}
