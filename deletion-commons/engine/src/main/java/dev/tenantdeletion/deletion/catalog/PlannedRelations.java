package dev.tenantdeletion.deletion.catalog;

/**
 * The relations a planned table covers: the table itself and, when it is partitioned, every partition below it at any
 * depth. A trigger or a rule on any of them acts on the planned table's rows (one created directly on a partition
 * too), so the checks of the fast path and of a whole-partition erasure look at all of them.
 */
public final class PlannedRelations {

    private PlannedRelations() {
    }

    /**
     * A sub-select of the oids of the planned tables named by the text[] parameter {@code namesParameter} (in the
     * service's schema) and of all their partitions: {@code … where tg.tgrelid in (<this>)}.
     */
    public static String oids(String namesParameter) {
        return "select coalesce(tree.relid, c.oid) from pg_class c join pg_namespace ns on ns.oid = c.relnamespace"
                + " left join lateral pg_partition_tree(c.oid) tree on true"
                + " where ns.nspname = current_schema() and c.relname = any(" + namesParameter + ")";
    }
}
