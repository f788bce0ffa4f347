package dev.tenantdeletion.deletion.catalog;

import java.util.List;
import java.util.Map;

/**
 * A foreign key of the service's database as pg_constraint has it: {@code child.columns → parent.columns}. A key of a
 * partitioned table is one key (PostgreSQL's copies of it on every partition are its {@link #cloneNames}), and its
 * ends are named by the root of their partition tree, as a plan names them.
 *
 * @param onDelete       confdeltype: a (NO ACTION), r (RESTRICT), c (CASCADE), n (SET NULL), d (SET DEFAULT)
 * @param singleUuidToId one uuid column referencing {@code id}: the only shape the set-based checks handle
 * @param cloneNames     the names of the key's copies on partitions (an error of PostgreSQL's may name one of them)
 */
public record ForeignKey(String name, End child, End parent, char onDelete, boolean singleUuidToId, List<String> cloneNames) {

    public ForeignKey {
        cloneNames = List.copyOf(cloneNames);
    }

    /** A key of a table without partitions. */
    public ForeignKey(String name, End child, End parent, char onDelete, boolean singleUuidToId) {
        this(name, child, parent, onDelete, singleUuidToId, List.of());
    }

    /** Whether PostgreSQL names this key {@code constraint}: its own name or one of its copies on partitions. */
    public boolean named(String constraint) {
        return name.equals(constraint) || cloneNames.contains(constraint);
    }

    /**
     * One end of the key. Names come twice: as the catalog has them (for messages and for comparing with the plan:
     * the root of the end's partition tree, schema-qualified outside the service's schema) and, for statements built
     * from them, the relation the key is declared on, schema-qualified and quoted ({@code "public"."orders"}).
     *
     * @param columns         the key's columns, in key order
     * @param inCurrentSchema whether the table is in the service's schema ({@code current_schema()})
     * @param hasTenantId     whether the table has a tenant_id column
     */
    public record End(String table, String quotedTable, List<String> columns, List<String> quotedColumns,
            boolean inCurrentSchema, boolean hasTenantId) {

        public End {
            columns = List.copyOf(columns);
            quotedColumns = List.copyOf(quotedColumns);
        }
    }

    /** The child's columns as a plan names them: comma-separated, in key order. */
    public String columnNames() {
        return String.join(",", child.columns());
    }

    /** Whether deleting a parent row makes the database delete or change child rows itself. */
    public boolean deletesOrChangesChildren() {
        return onDelete == 'c' || onDelete == 'n' || onDelete == 'd';
    }

    /** Restrict-like: the database only refuses (NO ACTION, RESTRICT). */
    public boolean onlyRefuses() {
        return onDelete == 'a' || onDelete == 'r';
    }

    public String onDeleteAction() {
        return Map.of('c', "CASCADE", 'n', "SET NULL", 'd', "SET DEFAULT", 'r', "RESTRICT", 'a', "NO ACTION")
                .getOrDefault(onDelete, String.valueOf(onDelete));
    }
}
