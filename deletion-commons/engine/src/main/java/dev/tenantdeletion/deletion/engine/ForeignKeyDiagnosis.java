package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import dev.tenantdeletion.deletion.catalog.ForeignKeys;
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
 * constraint in the error's own fields; the catalog ({@link ForeignKeys}) gives the columns; one query on a
 * fresh snapshot (the failed transaction is rolled back by then) says whether another tenant's row references
 * this tenant's rows, or only the tenant's own rows do (written while it was being deleted).
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

    private ForeignKeyDiagnosis() {
    }

    /**
     * {@code belongs} gives, for a planned table and an alias, the SQL condition that a row belongs to the tenant
     * {@code $1} (through its path for a table reached through a parent), or null for a table not in the plan.
     */
    static Uni<Verdict> diagnose(Pool pool, DatabaseFailure failure, UUID tenant, BiFunction<String, String, String> belongs) {
        if (failure.table() == null || failure.constraint() == null) {
            return Uni.createFrom().item(new Verdict(Cause.UNKNOWN, failure.describe()));
        }
        return ForeignKeys.read(pool).chain(keys -> {
            // PostgreSQL may name a partition's copy of the key, and a partition for its table: the key is found by any of
            // its names, the one whose (root) table PostgreSQL names first
            ForeignKey fk = keys.stream().filter(key -> key.named(failure.constraint()) && key.child().inCurrentSchema())
                    .min(java.util.Comparator.comparing(key -> !key.child().table().equals(failure.table()))).orElse(null);
            if (fk == null) {
                return Uni.createFrom().item(new Verdict(Cause.UNKNOWN, failure.describe()));
            }
            String via = " (constraint " + failure.constraint() + ")";
            String child = fk.child().table();
            String parent = fk.parent().table();
            String childBelongs = belongs.apply(child, "c");
            if (childBelongs == null && fk.child().hasTenantId()) {
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
                    // stable words, and nothing of whose rows they are: the caller learns which of its own tables to look at
                    return new Verdict(Cause.OTHER_TENANT, "foreign key conflict: rows outside this deletion in table " + child
                            + " reference the tenant's rows in " + parent + via);
                }
                return new Verdict(Cause.OWN_ROWS, "rows of this tenant were written to " + child
                        + " while it was being deleted" + via);
            });
        });
    }

    /** Does any row not of the tenant reference a row of the tenant through this key? */
    private static String ownerQuery(ForeignKey fk, String childBelongs, String parentBelongs) {
        List<String> childColumns = fk.child().quotedColumns();
        List<String> parentColumns = fk.parent().quotedColumns();
        List<String> join = new ArrayList<>();
        for (int i = 0; i < childColumns.size(); i++) {
            join.add("c." + childColumns.get(i) + " = p." + parentColumns.get(i));
        }
        return "select exists (select 1 from " + fk.child().quotedTable() + " c join " + fk.parent().quotedTable() + " p on "
                + String.join(" and ", join) + " where " + parentBelongs + " and not coalesce(" + childBelongs + ", false)) as other_tenant";
    }
}
