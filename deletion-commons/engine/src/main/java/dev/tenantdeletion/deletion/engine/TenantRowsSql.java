package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.vertx.mutiny.sqlclient.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that finds a tenant's rows in a planned table ({@code $1} is the tenant): {@code tenant_id = $1} for a
 * table that has the column, and for a table reached through a parent the foreign key into the tenant's rows of
 * that parent, nested as deep as the path goes ({@code fk in (select id from parent where …)}). Every statement the
 * engine runs is built from these predicates, so preview, delete and batches agree on what "the tenant's rows" are.
 */
public final class TenantRowsSql {

    private final DeletionPlan plan;

    public TenantRowsSql(DeletionPlan plan) {
        this.plan = plan;
    }

    /** The condition that a row (alias {@code alias}) of {@code table} belongs to the tenant {@code $1}. */
    String belongs(PlannedTable table, String alias) {
        return belongs(table, alias, "$1");
    }

    /** The same condition for the tenant the SQL expression {@code tenant} names (a parameter, or a column of an outer query). */
    public String belongs(PlannedTable table, String alias, String tenant) {
        // a table with a tenant_id of its own (a path table's too) says itself whose its rows are: a row of another
        // tenant under this tenant's parent is the other's (its parent's DELETE then meets it: a conflict), and is
        // deleted with the other tenant, never with this one
        if (!table.reachedThroughParent() || table.hasTenantId()) {
            return alias + ".tenant_id = " + tenant;
        }
        PlannedTable parent = parent(table);
        String inner = alias + "p";
        return alias + "." + table.parent().foreignKeyColumn() + " in (select " + inner + ".id from "
                + parent.tableName() + " " + inner + " where " + belongs(parent, inner, tenant) + ")";
    }

    /** {@code alias.tenant_id = tenant and } for a table reached through a parent that has a tenant_id of its own. */
    private static String ownTenant(PlannedTable table, String alias, String tenant) {
        return table.reachedThroughParent() && table.hasTenantId() ? alias + ".tenant_id = " + tenant + " and " : "";
    }

    /**
     * The tenant's rows of {@code table} as a FROM … WHERE that joins up the path ({@code items b join orders b1 on
     * b1.id = b.order_id where b1.tenant_id = $1}): for a batch's LIMIT the planner then streams the joins and stops
     * at the limit, where the nested {@code in (select …)} form built a hash of all the tenant's parents for every batch
     * (docs/benchmarks.md, suppliers schema). A join along foreign keys to primary keys yields each row once.
     */
    String joined(PlannedTable table, String alias) {
        StringBuilder from = new StringBuilder(table.tableName() + " " + alias);
        PlannedTable current = table;
        String currentAlias = alias;
        int depth = 0;
        while (current.reachedThroughParent() && !current.hasTenantId()) {
            PlannedTable parent = parent(current);
            String parentAlias = alias + (++depth);
            from.append(" join ").append(parent.tableName()).append(' ').append(parentAlias).append(" on ").append(parentAlias)
                    .append(".id = ").append(currentAlias).append('.').append(current.parent().foreignKeyColumn());
            current = parent;
            currentAlias = parentAlias;
        }
        return from + " where " + currentAlias + ".tenant_id = $1";
    }

    /**
     * The condition that a row of {@code table} hangs (at any depth) under one of the rows of {@code ancestor}
     * whose ids are the array {@code $1} (and, on a path table with a tenant_id of its own, is of the tenant {@code $2}:
     * see {@link #underNeedsTenant}).
     */
    String under(PlannedTable table, String ancestor, String alias) {
        String own = ownTenant(table, alias, "$2");
        if (table.parent().table().equals(ancestor)) {
            return own + alias + "." + table.parent().foreignKeyColumn() + " = any($1)";
        }
        PlannedTable parent = parent(table);
        String inner = alias + "p";
        return own + alias + "." + table.parent().foreignKeyColumn() + " in (select " + inner + ".id from " + parent.tableName() + " "
                + inner + " where " + under(parent, ancestor, inner) + ")";
    }

    /** Whether {@link #deleteUnder} names the tenant ({@code $2}): a table on the way up to the ancestor has a tenant_id. */
    boolean underNeedsTenant(PlannedTable table, String ancestor) {
        for (PlannedTable current = table; !current.tableName().equals(ancestor); current = parent(current)) {
            if (current.hasTenantId()) {
                return true;
            }
        }
        return false;
    }

    String count(PlannedTable table) {
        return count(table, "$1");
    }

    private String count(PlannedTable table, String tenant) {
        return "(select count(*) from " + table.tableName() + " t where " + belongs(table, "t", tenant) + ")";
    }

    /**
     * The preview's counts for many tenants in one statement: one row per tenant of the array {@code $1} (distinct ids),
     * its id, then the preview's own {@link #count} of every planned table in plan order, the tenant taken from the
     * row instead of {@code $1}. Each count is a correlated sub-select, so a tenant costs one indexed look-up per table
     * (down the path for a table reached through a parent), never a preview's round trip.
     */
    String countEach(List<PlannedTable> tables) {
        StringBuilder select = new StringBuilder("select r.tenant_id");
        for (PlannedTable table : tables) {
            select.append(", ").append(count(table, "r.tenant_id"));
        }
        return select.append(" from unnest($1::uuid[]) r(tenant_id)").toString();
    }

    /**
     * The tenant's rows over all the planned tables, counted up to {@code cap} in total: the tables are read in plan
     * order until the cap is reached (a big tenant's first table alone stops the count), not each up to the cap.
     */
    String countAllUpTo(List<PlannedTable> tables, int cap) {
        return "(select count(*) from (" + tables.stream().map(t -> "select 1 from " + t.tableName() + " t where " + belongs(t, "t"))
                .collect(Collectors.joining(" union all ")) + " limit " + cap + ") c)";
    }

    /** Select-list items, one per planned table in plan order: does the tenant have rows there ({@link #tablesWithRows}). */
    String existsEach() {
        return plan.tables().stream().map(this::exists).collect(Collectors.joining(", "));
    }

    /** The plan indexes of the tables whose {@link #existsEach} column, from column {@code first} of {@code row}, is true. */
    static List<Integer> tablesWithRows(Row row, int first, int tables) {
        List<Integer> withRows = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            if (row.getBoolean(first + i)) {
                withRows.add(i);
            }
        }
        return List.copyOf(withRows);
    }

    private String exists(PlannedTable table) {
        return "exists (select 1 from " + table.tableName() + " t where " + belongs(table, "t") + ")";
    }

    String deleteAll(PlannedTable table) {
        return "delete from " + table.tableName() + " t where " + belongs(table, "t");
    }

    /**
     * One batch of at most {@code $2} rows, by physical row address: "id in (select … limit)" planned a full-table
     * hash semi join per batch (docs/benchmarks.md); ctid = any(array) is a TID scan of exactly the batch. The outer
     * test of the predicate guards a ctid reused by another tenant's row between the scans. In a tree only leaves are
     * taken (rows no other row references), so no batch breaks the self-reference.
     */
    String batch(PlannedTable table) {
        return "delete from " + table.tableName() + " t where t.ctid = any(array(select b.ctid from " + joined(table, "b")
                + leavesOnly(table, "b") + " limit $2)) and " + belongs(table, "t");
    }

    /**
     * The same batch of a partitioned table, where a ctid is unique only within one partition (the form above would
     * delete the rows at those ctids in every partition: up to partitions × $2 rows). The batch is chosen once, as
     * (tableoid, ctid) pairs; each partition is still read by a TID scan of the chosen ctids, and only the pairs chosen
     * are deleted.
     */
    String partitionedBatch(PlannedTable table) {
        return "with chosen as materialized (select b.tableoid as toid, b.ctid as tid from " + joined(table, "b")
                + leavesOnly(table, "b") + " limit $2) delete from " + table.tableName()
                + " t where t.ctid = any(array(select tid from chosen)) and (t.tableoid, t.ctid) in (select toid, tid from chosen) and "
                + belongs(table, "t");
    }

    /**
     * A parent's batch, step 1: the ids of at most {@code $2} of the tenant's rows, locked FOR UPDATE, so no new
     * child can reference them (a child's insert waits on the lock) until they are gone: the children still under
     * them are then deleted and counted explicitly before them, and no ON DELETE CASCADE removes a row uncounted.
     */
    String lockBatch(PlannedTable table, boolean limited) {
        return "select b.id from " + joined(table, "b") + (limited ? leavesOnly(table, "b") : "")
                + (limited ? " limit $2" : "") + " for update of b";
    }

    /**
     * A parent's batch, step 2 (one per descendant, children first): the rows under the locked ids {@code $1} (of the
     * tenant {@code $2} where {@link #underNeedsTenant}).
     */
    String deleteUnder(PlannedTable descendant, String ancestor) {
        return "delete from " + descendant.tableName() + " t where " + under(descendant, ancestor, "t");
    }

    /** A parent's batch, step 3: the locked rows themselves. */
    String deleteIds(PlannedTable table) {
        return "delete from " + table.tableName() + " where id = any($1)";
    }

    /** One transaction: all of the tenant's rows of a parent, locked before any of its children is deleted. */
    String lockAll(PlannedTable table) {
        return "select count(*) from (select 1 from " + table.tableName() + " b where " + belongs(table, "b") + " for update of b) s";
    }

    private static String leavesOnly(PlannedTable table, String alias) {
        if (table.selfReference() == null) {
            return "";
        }
        return " and not exists (select 1 from " + table.tableName() + " k where k." + table.selfReference() + " = " + alias
                + ".id and k.id <> " + alias + ".id)";
    }

    /** The planned tables that other planned tables are reached through, parents first (reverse plan order). */
    List<PlannedTable> parentsTopDown() {
        List<PlannedTable> parents = new ArrayList<>(plan.tables().stream()
                .filter(t -> !plan.childrenOf(t.tableName()).isEmpty()).toList());
        Collections.reverse(parents);
        return parents;
    }

    private PlannedTable parent(PlannedTable table) {
        return plan.table(table.parent().table()).orElseThrow();
    }
}
