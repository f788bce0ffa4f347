package dev.tenantdeletion.deletion.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a service deletes for a tenant: its tables in deletion order, children first, plus the
 * tables it deliberately keeps (each with the retention rule that justifies it). Preview, delete and
 * the coverage check are all derived from it; a service writes no deletion SQL.
 */
public final class DeletionPlan {

    private final List<PlannedTable> tables;
    private final Map<String, String> retained;

    private DeletionPlan(List<PlannedTable> tables, Map<String, String> retained) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a deletion plan needs at least one table");
        }
        for (PlannedTable table : tables) {
            if (tables.stream().filter(t -> t.tableName().equals(table.tableName())).count() > 1) {
                throw new IllegalArgumentException("table " + table.tableName() + " is planned twice");
            }
            // the order is the coverage check's to judge (against the real foreign keys); a parent must exist
            if (table.reachedThroughParent() && tables.stream().noneMatch(t -> t.tableName().equals(table.parent().table()))) {
                throw new IllegalArgumentException(table.tableName() + " is reached through " + table.parent().table()
                        + ", which is not in the plan");
            }
        }
        for (PlannedTable table : tables) {
            PlannedTable current = table;
            for (int depth = 0; current.reachedThroughParent(); depth++) {
                if (depth == tables.size()) {
                    throw new IllegalArgumentException("the path of " + table.tableName() + " never reaches a table with tenant_id");
                }
                String parent = current.parent().table();
                current = tables.stream().filter(t -> t.tableName().equals(parent)).findFirst().orElseThrow();
            }
        }
        this.tables = List.copyOf(tables);
        this.retained = Collections.unmodifiableMap(new LinkedHashMap<>(retained));
    }

    /** The plan deleting these entities' tables in the order given (children before parents). */
    @SafeVarargs
    public static DeletionPlan childrenFirst(Class<? extends TenantOwnedEntity>... entities) {
        List<PlannedTable> tables = new ArrayList<>();
        for (Class<? extends TenantOwnedEntity> entity : entities) {
            tables.add(PlannedTable.of(entity));
        }
        return new DeletionPlan(tables, Map.of());
    }

    /**
     * The plan deleting these tables in the order given (children before parents): {@link PlannedTable#of} for a
     * table with tenant_id, {@link PlannedTable#through} for one reached through a planned parent.
     */
    public static DeletionPlan childrenFirst(PlannedTable... tables) {
        return new DeletionPlan(List.of(tables), Map.of());
    }

    /**
     * Exempts a table with a tenant_id column from deletion. Only for data the business must keep
     * (a legal retention rule, say); the reason is reported by the coverage check.
     */
    public DeletionPlan retaining(String table, String retentionRule) {
        Map<String, String> more = new LinkedHashMap<>(retained);
        more.put(table, retentionRule);
        return new DeletionPlan(tables, more);
    }

    public List<PlannedTable> tables() {
        return tables;
    }

    public List<String> tableNames() {
        return tables.stream().map(PlannedTable::tableName).toList();
    }

    public Optional<PlannedTable> table(String name) {
        return tables.stream().filter(t -> t.tableName().equals(name)).findFirst();
    }

    /** The planned tables reached through {@code parent} directly. */
    public List<PlannedTable> childrenOf(String parent) {
        return tables.stream().filter(t -> t.reachedThroughParent() && t.parent().table().equals(parent)).toList();
    }

    /** The planned tables whose path to the tenant passes through {@code ancestor}, at any depth, in plan order. */
    public List<PlannedTable> descendantsOf(String ancestor) {
        return tables.stream().filter(t -> !t.tableName().equals(ancestor) && pathPasses(t, ancestor)).toList();
    }

    private boolean pathPasses(PlannedTable table, String ancestor) {
        PlannedTable current = table;
        for (int depth = 0; current.reachedThroughParent() && depth <= tables.size(); depth++) {
            if (current.parent().table().equals(ancestor)) {
                return true;
            }
            current = table(current.parent().table()).orElseThrow();
        }
        return false;
    }

    public Map<String, String> retained() {
        return retained;
    }
}
