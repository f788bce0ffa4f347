package dev.tenantdeletion.deletion.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one reader of foreign keys from pg_constraint, for the coverage check (keys whose child is in the service's
 * schema), the foreign-key checks (keys into the planned tables) and the diagnosis of a violation (one key by name).
 * It reads every key with an end in the service's schema; each user keeps the ones it asks about.
 */
public final class ForeignKeys {

    private static final String FOREIGN_KEYS = """
            select con.conname::text as name, con.confdeltype::text as on_delete,
                   child.relname::text as child, quote_ident(child.relname) as child_q,
                   child_ns.nspname = current_schema() as child_here,
                   parent.relname::text as parent, quote_ident(parent.relname) as parent_q,
                   parent_ns.nspname = current_schema() as parent_here,
                   array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i) as child_columns,
                   array(select quote_ident(a.attname) from unnest(con.conkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i) as child_columns_q,
                   array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i) as parent_columns,
                   array(select quote_ident(a.attname) from unnest(con.confkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i) as parent_columns_q,
                   exists (select 1 from pg_attribute a where a.attrelid = con.conrelid and a.attname = 'tenant_id'
                           and a.attnum > 0 and not a.attisdropped) as child_tenant,
                   exists (select 1 from pg_attribute a where a.attrelid = con.confrelid and a.attname = 'tenant_id'
                           and a.attnum > 0 and not a.attisdropped) as parent_tenant,
                   (cardinality(con.conkey) = 1 and pa.attname = 'id' and pa.atttypid = 'uuid'::regtype) as single_uuid_to_id
              from pg_constraint con
              join pg_class child on child.oid = con.conrelid
              join pg_namespace child_ns on child_ns.oid = child.relnamespace
              join pg_class parent on parent.oid = con.confrelid
              join pg_namespace parent_ns on parent_ns.oid = parent.relnamespace
              left join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
             where con.contype = 'f' and current_schema() in (child_ns.nspname, parent_ns.nspname)
             order by con.oid""";

    private ForeignKeys() {
    }

    /** Every foreign key with its child or its parent in the service's schema, in the order they were created. */
    public static Uni<List<ForeignKey>> read(SqlClient client) {
        return client.preparedQuery(FOREIGN_KEYS).execute().map(rows -> {
            List<ForeignKey> keys = new ArrayList<>();
            rows.forEach(row -> keys.add(foreignKey(row)));
            return keys;
        });
    }

    private static ForeignKey foreignKey(Row row) {
        ForeignKey.End child = new ForeignKey.End(row.getString("child"), row.getString("child_q"),
                strings(row, "child_columns"), strings(row, "child_columns_q"), isTrue(row, "child_here"), isTrue(row, "child_tenant"));
        ForeignKey.End parent = new ForeignKey.End(row.getString("parent"), row.getString("parent_q"),
                strings(row, "parent_columns"), strings(row, "parent_columns_q"), isTrue(row, "parent_here"), isTrue(row, "parent_tenant"));
        return new ForeignKey(row.getString("name"), child, parent, row.getString("on_delete").charAt(0),
                isTrue(row, "single_uuid_to_id"));
    }

    private static List<String> strings(Row row, String column) {
        return Arrays.asList(row.getArrayOfStrings(column));
    }

    private static boolean isTrue(Row row, String column) {
        return Boolean.TRUE.equals(row.getBoolean(column));
    }
}
