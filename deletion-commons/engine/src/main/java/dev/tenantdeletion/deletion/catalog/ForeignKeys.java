package dev.tenantdeletion.deletion.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one reader of foreign keys from pg_constraint, for the coverage check (keys with an end in the service's schema:
 * a table of another schema referencing a planned table is a referrer like any other), the foreign-key checks (keys
 * into the planned tables) and the diagnosis of a violation (one key by name). It reads every key with an end in the
 * service's schema, partitions mapped to their roots; each user keeps the ones it asks about.
 */
public final class ForeignKeys {

    /**
     * One row per key as declared ({@code conparentid = 0}: PostgreSQL's copies on partitions come with it as clone
     * names). {@code child}/{@code parent} are the roots of the ends' partition trees ({@code pg_partition_root}, null
     * for a table outside any tree), named without schema in the service's schema and schema-qualified elsewhere; the
     * {@code _q} names are the relations the key is declared on, schema-qualified, for statements.
     */
    private static final String FOREIGN_KEYS = """
            select con.conname::text as name, con.confdeltype::text as on_delete,
                   case when child_ns.nspname = current_schema() then child.relname::text
                        else child_ns.nspname || '.' || child.relname end as child,
                   quote_ident(child_decl_ns.nspname) || '.' || quote_ident(child_decl.relname) as child_q,
                   child_ns.nspname = current_schema() as child_here,
                   case when parent_ns.nspname = current_schema() then parent.relname::text
                        else parent_ns.nspname || '.' || parent.relname end as parent,
                   quote_ident(parent_decl_ns.nspname) || '.' || quote_ident(parent_decl.relname) as parent_q,
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
                   (cardinality(con.conkey) = 1 and pa.attname = 'id' and pa.atttypid = 'uuid'::regtype) as single_uuid_to_id,
                   array(with recursive clones(oid, name) as (
                             select cl.oid, cl.conname::text from pg_constraint cl where cl.conparentid = con.oid
                             union all
                             select cl.oid, cl.conname::text from pg_constraint cl join clones on cl.conparentid = clones.oid)
                         select distinct name from clones where name <> con.conname) as clone_names
              from pg_constraint con
              join pg_class child_decl on child_decl.oid = con.conrelid
              join pg_namespace child_decl_ns on child_decl_ns.oid = child_decl.relnamespace
              join pg_class child on child.oid = coalesce(pg_partition_root(con.conrelid), con.conrelid)
              join pg_namespace child_ns on child_ns.oid = child.relnamespace
              join pg_class parent_decl on parent_decl.oid = con.confrelid
              join pg_namespace parent_decl_ns on parent_decl_ns.oid = parent_decl.relnamespace
              join pg_class parent on parent.oid = coalesce(pg_partition_root(con.confrelid), con.confrelid)
              join pg_namespace parent_ns on parent_ns.oid = parent.relnamespace
              left join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
             where con.contype = 'f' and con.conparentid = 0 and current_schema() in (child_ns.nspname, parent_ns.nspname)
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
                isTrue(row, "single_uuid_to_id"), strings(row, "clone_names"));
    }

    private static List<String> strings(Row row, String column) {
        return Arrays.asList(row.getArrayOfStrings(column));
    }

    private static boolean isTrue(Row row, String column) {
        return Boolean.TRUE.equals(row.getBoolean(column));
    }
}
