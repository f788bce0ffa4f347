package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What a deletion call must know of the live schema before its first lock — whether the plan covers it, which planned
 * tables are partitioned — read in full only when the schema has changed. Each call asks one short statement (its plan
 * cached on the connection): a fingerprint of the schema's catalog rows that DDL rewrites, and in the same round trip
 * which planned tables hold rows of the tenant (an empty tenant needs no deletion transaction; the first round of batches
 * starts from them) and its rows counted up to a cap over all of them (a small tenant needs no batches). Equal fingerprints: the
 * verdict of the last full read stands; else the coverage check, the foreign-key checks and the partition list are read
 * again (docs/plans.md, "The catalog, once per call").
 *
 * <p>The fingerprint covers every table and partitioned table of the service's schema (oid, kind and the row version
 * {@code xmin}: CREATE, ALTER, ADD COLUMN, ATTACH/DETACH and TRUNCATE write a new version; VACUUM's statistics are
 * written in place and do not), their columns (name, type, dropped), every foreign key with an end there, and their own
 * triggers and rules with their enabled state. A change it sees only makes the next call read the catalog again; the
 * fast foreign-key path still proves its own catalog under its locks ({@link ForeignKeyChecks}).
 */
final class SchemaVersion {

    private static final String FINGERPRINT = """
            md5(coalesce((select string_agg(t.oid::text || ':' || t.xmin::text || t.relkind::text, ',' order by t.oid) from t), '')
                || '|' || coalesce((select string_agg(a.attrelid::text || '.' || a.attnum || a.attname || a.atttypid::text
                                                      || a.attisdropped::text, ',' order by a.attrelid, a.attnum)
                                      from pg_attribute a where a.attrelid in (select oid from t) and a.attnum > 0), '')
                || '|' || coalesce((select string_agg(con.oid::text || ':' || con.xmin::text, ',' order by con.oid) from pg_constraint con
                                     where con.contype = 'f' and (con.conrelid in (select oid from t) or con.confrelid in (select oid from t))), '')
                || '|' || coalesce((select string_agg(tg.oid::text || tg.tgenabled::text, ',' order by tg.oid) from pg_trigger tg
                                     where not tg.tgisinternal and tg.tgrelid in (select oid from t)), '')
                || '|' || coalesce((select string_agg(r.oid::text || r.ev_enabled::text, ',' order by r.oid) from pg_rewrite r
                                     where r.rulename <> '_RETURN' and r.ev_class in (select oid from t)), ''))""";

    /** The tables ({@code $1}) of the plan that are partitioned. */
    private static final String PARTITIONED = """
            select c.relname::text from pg_class c
             where c.relnamespace = current_schema()::regnamespace and c.relname = any($1) and c.relkind = 'p'""";

    /** What the last full read found, and the fingerprint of the catalog it read. */
    private record Verdict(String fingerprint, List<String> problems, Set<String> partitioned) {
    }

    /**
     * What a call needs before its first lock. {@code tablesWithRows}: the plan indexes of the tables that hold rows of
     * the tenant; {@code rows}: the tenant's rows over the planned tables, counted up to deletion.whole-tenant-rows + 1
     * (a number above the setting only says "more"; without the setting, only whether there are any).
     */
    record Known(List<String> problems, Set<String> partitioned, List<Integer> tablesWithRows, long rows) {

        boolean tenantHasRows() {
            return !tablesWithRows.isEmpty();
        }
    }

    private final Pool pool;
    private final DeletionPlan plan;
    private final SchemaCoverage coverage;
    private final ForeignKeyChecks foreignKeyChecks;
    private final String[] tables;
    private final int wholeTenantRows;
    /** The fingerprint and, for {@code $1}, which planned tables hold rows and (with a cap) how many rows in all. */
    private final String versionSql;
    private volatile Verdict verdict;

    SchemaVersion(Pool pool, DeletionPlan plan, TenantRowsSql sql, SchemaCoverage coverage, ForeignKeyChecks foreignKeyChecks,
            int wholeTenantRows) {
        this.pool = pool;
        this.plan = plan;
        this.coverage = coverage;
        this.foreignKeyChecks = foreignKeyChecks;
        this.tables = plan.tableNames().toArray(String[]::new);
        this.wholeTenantRows = wholeTenantRows;
        this.versionSql = "with t as (select c.oid, c.xmin, c.relkind from pg_class c where c.relnamespace = current_schema()::regnamespace"
                + " and c.relkind in ('r', 'p'))\nselect " + FINGERPRINT + " as fingerprint, "
                + sql.existsEach() + ", " + (wholeTenantRows > 0 ? sql.countAllUpTo(plan.tables(), wholeTenantRows + 1) : "0") + " as tenant_rows";
    }

    /** One short statement; the full catalog read only when its fingerprint differs from the last one's. */
    Uni<Known> read(UUID tenant) {
        return ByTenantIndex.query(pool, versionSql, Tuple.of(tenant)).chain(rows -> {
            Row row = rows.iterator().next();
            String fingerprint = row.getString("fingerprint");
            List<Integer> withRows = TenantRowsSql.tablesWithRows(row, 1, tables.length);
            // without deletion.whole-tenant-rows nothing is counted: "some rows" is all a call needs to know
            long tenantRows = wholeTenantRows > 0 ? row.getLong("tenant_rows") : withRows.size();
            Verdict known = verdict;
            Uni<Verdict> current = known != null && known.fingerprint().equals(fingerprint) ? Uni.createFrom().item(known)
                    : readAll(fingerprint);
            return current.map(v -> new Known(v.problems(), v.partitioned(), withRows, tenantRows));
        });
    }

    /**
     * The full read, after the fingerprint: should DDL come between the two, the verdict is stored under the older
     * fingerprint and the next call reads again (never the other way round).
     */
    private Uni<Verdict> readAll(String fingerprint) {
        foreignKeyChecks.invalidate();
        return coverage.problems(plan)
                .chain(problems -> pool.preparedQuery(PARTITIONED).execute(Tuple.of((Object) tables)).map(rows -> {
                    Set<String> partitioned = new HashSet<>();
                    rows.forEach(r -> partitioned.add(r.getString(0)));
                    Verdict read = new Verdict(fingerprint, List.copyOf(problems), Set.copyOf(partitioned));
                    verdict = read;
                    return read;
                }));
    }
}
