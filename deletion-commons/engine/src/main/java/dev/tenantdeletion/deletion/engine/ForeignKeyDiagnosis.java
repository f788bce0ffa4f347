package dev.tenantdeletion.deletion.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Whose rows broke a foreign key during a deletion. PostgreSQL names the referencing table and the
 * constraint in the error's own fields; the catalog gives the columns; one query on a fresh snapshot
 * (the failed transaction is rolled back by then) says whether another tenant's row references this
 * tenant's rows, or only the tenant's own rows do (written while it was being deleted).
 */
final class ForeignKeyDiagnosis {

    enum Cause {
        /** A row of another tenant references this tenant's rows: a real conflict (409). */
        OTHER_TENANT,
        /** Only the tenant's own rows, written meanwhile (or already gone again): delete again. */
        OWN_ROWS,
        /** The referencing table has no tenant_id column or the constraint is unknown: cannot tell. */
        UNKNOWN
    }

    record Verdict(Cause cause, String description) {
    }

    private static final String CONSTRAINT = """
            select quote_ident(child.relname) as child, quote_ident(parent.relname) as parent, child.relname as child_name,
                   parent.relname as parent_name,
                   array(select quote_ident(a.attname) from unnest(c.conkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.i) as child_columns,
                   array(select quote_ident(a.attname) from unnest(c.confkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.i) as parent_columns,
                   exists (select 1 from pg_attribute a where a.attrelid = c.conrelid and a.attname = 'tenant_id'
                           and a.attnum > 0 and not a.attisdropped) as child_has_tenant
              from pg_constraint c
              join pg_class child on child.oid = c.conrelid
              join pg_class parent on parent.oid = c.confrelid
              join pg_namespace ns on ns.oid = child.relnamespace
             where c.contype = 'f' and c.conname = $1 and child.relname = $2 and ns.nspname = current_schema()""";

    private ForeignKeyDiagnosis() {
    }

    /**
     * {@code belongs} gives, for a planned table and an alias, the SQL condition that a row belongs to the tenant
     * {@code $1} (through its path for a table reached through a parent), or null for a table not in the plan.
     */
    static Uni<Verdict> diagnose(Pool pool, DatabaseFailure failure, UUID tenant, BiFunction<String, String, String> belongs) {
        if (failure.table() == null || failure.constraint() == null) {
            return Uni.createFrom().item(new Verdict(Cause.UNKNOWN, "a foreign key was violated: " + failure.message()));
        }
        return pool.preparedQuery(CONSTRAINT).execute(Tuple.of(failure.constraint(), failure.table())).chain(rows -> {
            if (rows.rowCount() == 0) {
                return Uni.createFrom().item(new Verdict(Cause.UNKNOWN, "foreign key " + failure.constraint() + " on "
                        + failure.table() + " was violated: " + failure.message()));
            }
            Row fk = rows.iterator().next();
            String via = " (constraint " + failure.constraint() + ")";
            String child = fk.getString("child_name");
            String parent = fk.getString("parent_name");
            String childBelongs = belongs.apply(child, "c");
            if (childBelongs == null && fk.getBoolean("child_has_tenant")) {
                childBelongs = "c.tenant_id = $1";
            }
            String parentBelongs = belongs.apply(parent, "p");
            if (parentBelongs == null) {
                parentBelongs = "p.tenant_id = $1";
            }
            if (childBelongs == null) {
                return Uni.createFrom().item(new Verdict(Cause.UNKNOWN, "rows of table " + child + " reference this tenant's rows in "
                        + parent + via + ", and " + child + " has no tenant_id column to tell whose they are"));
            }
            return pool.preparedQuery(ownerQuery(fk, childBelongs, parentBelongs)).execute(Tuple.of(tenant)).map(owners -> {
                Row row = owners.iterator().next();
                if (row.getBoolean("other_tenant")) {
                    return new Verdict(Cause.OTHER_TENANT, "rows of another tenant in table " + child
                            + " reference this tenant's rows in " + parent + via);
                }
                return new Verdict(Cause.OWN_ROWS, "rows of this tenant were written to " + child
                        + " while it was being deleted" + via);
            });
        });
    }

    /** Does any row not of the tenant reference a row of the tenant through this key? */
    private static String ownerQuery(Row fk, String childBelongs, String parentBelongs) {
        String[] childColumns = fk.getArrayOfStrings("child_columns");
        String[] parentColumns = fk.getArrayOfStrings("parent_columns");
        List<String> join = new ArrayList<>();
        for (int i = 0; i < childColumns.length; i++) {
            join.add("c." + childColumns[i] + " = p." + parentColumns[i]);
        }
        return "select exists (select 1 from " + fk.getString("child") + " c join " + fk.getString("parent") + " p on "
                + String.join(" and ", join) + " where " + parentBelongs + " and not coalesce(" + childBelongs + ", false)) as other_tenant";
    }
}
