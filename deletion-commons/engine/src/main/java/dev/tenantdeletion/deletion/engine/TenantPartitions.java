package dev.tenantdeletion.deletion.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The planned tables that are partitioned, and the tenant's own partitions ("whales", docs/plans.md): a planned table
 * LIST-partitioned by {@code tenant_id} alone whose partition is {@code FOR VALUES IN ('<tenant>')} holds only this
 * tenant's rows, so it is erased whole — counted, detached and dropped in one of the call's transactions, under the
 * tenant lock, its count added to the receipt like any DELETE's — instead of being read row by row. Read once per
 * call ({@link #read}); {@link #erase} decides again under the locks, inside the transaction that erases.
 */
final class TenantPartitions {

    /** No planned table is partitioned. */
    static final TenantPartitions NONE = new TenantPartitions(Set.of(), Map.of());

    /**
     * Per partitioned planned table ($1), the tenant's ($2) own partition if the table is LIST-partitioned by tenant_id
     * alone and has a plain (not itself partitioned) partition for exactly this one value.
     */
    private static final String READ = """
            select c.relname::text as table_name,
                   (select quote_ident(pns.nspname) || '.' || quote_ident(part.relname)
                      from pg_partitioned_table pt
                      join pg_attribute a on a.attrelid = c.oid and a.attnum = pt.partattrs[0] and a.attname = 'tenant_id'
                      join pg_inherits i on i.inhparent = c.oid
                      join pg_class part on part.oid = i.inhrelid
                      join pg_namespace pns on pns.oid = part.relnamespace
                     where pt.partrelid = c.oid and pt.partstrat = 'l' and pt.partnatts = 1 and part.relkind = 'r'
                       and pg_get_expr(part.relpartbound, part.oid) = 'FOR VALUES IN (' || quote_literal($2::text) || ')'
                     limit 1) as own_partition,
                   quote_ident(ns.nspname) || '.' || quote_ident(c.relname) as qualified
              from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
             where ns.nspname = current_schema() and c.relname = any($1) and c.relkind = 'p'""";

    /**
     * Under the locks: the partition is still the tenant's, and erasing it whole does what a DELETE would: no trigger or
     * rule of the table or the partition would miss a row (DROP fires neither), no foreign key references them (DROP
     * would need CASCADE; the checks of a DELETE would not run), and no publication carries them (logical replication
     * replicates DELETEs, not a DROP). {@code %1$s} the root, {@code %2$s} the partition, {@code %3$s} the tenant,
     * {@code %4$s} the lock_timeout to restore.
     */
    private static final String STILL_ELIGIBLE = """
            select set_config('lock_timeout', %4$s, true),
                   exists (select 1 from pg_inherits i join pg_class p on p.oid = i.inhrelid
                            where i.inhparent = %1$s::regclass and i.inhrelid = %2$s::regclass and p.relkind = 'r'
                              and pg_get_expr(p.relpartbound, p.oid) = 'FOR VALUES IN (' || quote_literal(%3$s) || ')')
               and not exists (select 1 from pg_trigger where tgrelid in (%1$s::regclass, %2$s::regclass) and not tgisinternal)
               and not exists (select 1 from pg_rewrite where ev_class in (%1$s::regclass, %2$s::regclass) and rulename <> '_RETURN')
               and not exists (select 1 from pg_constraint where contype = 'f' and confrelid in (%1$s::regclass, %2$s::regclass))
               and not exists (select 1 from pg_publication_tables pt join pg_class pc on pc.relname = pt.tablename
                               join pg_namespace pn on pn.oid = pc.relnamespace and pn.nspname = pt.schemaname
                               where pc.oid in (%1$s::regclass, %2$s::regclass)) as eligible""";

    /** A lock for the erasure was not granted within deletion.whale-lock-timeout (or the partition went): DELETE instead. */
    static final class Busy extends RuntimeException {
        final String table;

        Busy(String table, Throwable cause) {
            super("the partition of " + table + " could not be locked in time; deleting its rows instead", cause);
            this.table = table;
        }
    }

    private final Set<String> partitioned;
    /** Planned table → its root, schema-qualified, and the tenant's own partition, schema-qualified. */
    private final Map<String, String[]> own;
    /** Tables whose partition this call no longer erases whole (erased, found ineligible, or its lock was busy). */
    private final Set<String> done = new HashSet<>();

    private TenantPartitions(Set<String> partitioned, Map<String, String[]> own) {
        this.partitioned = partitioned;
        this.own = own;
    }

    /**
     * The tenant's own partitions, one catalog read; none, without a read, when no planned table is partitioned
     * ({@code partitionedTables}, from {@link SchemaVersion}). {@code whole}: deletion.whole-partitions.
     */
    static Uni<TenantPartitions> read(Pool pool, String[] tables, Set<String> partitionedTables, UUID tenant, boolean whole) {
        if (partitionedTables.isEmpty()) {
            return Uni.createFrom().item(NONE);
        }
        return pool.preparedQuery(READ).execute(Tuple.of(tables, tenant.toString())).map(rows -> {
            if (rows.size() == 0) {
                return NONE;
            }
            Set<String> partitioned = new HashSet<>();
            Map<String, String[]> own = new HashMap<>();
            for (Row row : rows) {
                partitioned.add(row.getString("table_name"));
                if (whole && row.getString("own_partition") != null) {
                    own.put(row.getString("table_name"), new String[] {row.getString("qualified"), row.getString("own_partition")});
                }
            }
            return new TenantPartitions(Set.copyOf(partitioned), own);
        });
    }

    /** Whether the planned table is partitioned (a batch then picks rows by (tableoid, ctid)). */
    boolean partitioned(String table) {
        return partitioned.contains(table);
    }

    /** Whether this call should try to erase the tenant's own partition of the table now. */
    boolean whale(String table) {
        return own.containsKey(table) && !done.contains(table);
    }

    /** The call stops trying to erase the table's partition whole (the next transaction DELETEs). */
    void done(String table) {
        done.add(table);
    }

    /**
     * Inside the transaction, after the tenant lock: the partition locked against writes ({@code SHARE}), counted,
     * then the table and the partition locked {@code ACCESS EXCLUSIVE} (what DETACH takes anyway; both waits bounded by
     * {@code lockTimeout}, else {@link Busy}), checked again under the locks, detached and dropped. Answers the rows
     * erased, or null when the partition may no longer be erased whole (the caller DELETEs the rows instead).
     */
    Uni<Long> erase(CheckedTransaction transaction, String table, UUID tenant, Duration lockTimeout) {
        String root = own.get(table)[0];
        String partition = own.get(table)[1];
        String timeout = "'" + Math.max(1, lockTimeout.toMillis()) + "ms'";
        // names from the catalog (quote_ident), the tenant a parsed UUID: literals are safe, and the simple protocol
        // keeps these per-tenant statements out of the connection's prepared-statement cache
        return transaction.simple("select current_setting('lock_timeout') as previous, set_config('lock_timeout', " + timeout
                        + ", true); lock table only " + partition + " in share mode")
                .onFailure(TenantPartitions::lockRefused).transform(f -> new Busy(table, f))
                .chain(previous -> transaction.simple("select count(*) from " + partition)
                        .map(counted -> new Counted(first(previous).getString("previous"), first(counted).getLong(0))))
                .chain(counted -> transaction.simple("lock table only " + root + ", only " + partition + " in access exclusive mode")
                        .onFailure(TenantPartitions::lockRefused).transform(f -> new Busy(table, f))
                        .chain(() -> transaction.simple(STILL_ELIGIBLE.formatted(literal(root), literal(partition),
                                literal(tenant.toString()), literal(counted.previousLockTimeout()))))
                        .chain(checked -> {
                            if (!Boolean.TRUE.equals(first(checked).getBoolean("eligible"))) {
                                return Uni.createFrom().nullItem();
                            }
                            return transaction.simple("alter table " + root + " detach partition " + partition + "; drop table " + partition)
                                    .replaceWith(counted.rows());
                        }));
    }

    /** The partition's rows, counted under its SHARE lock, and the lock_timeout to restore once the locks are held. */
    private record Counted(String previousLockTimeout, long rows) {
    }

    private static boolean lockRefused(Throwable failure) {
        return DatabaseFailure.is(failure, DatabaseFailure.LOCK_NOT_AVAILABLE) || DatabaseFailure.is(failure, "42P01");
    }

    private static Row first(RowSet<Row> rows) {
        return rows.iterator().next();
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
