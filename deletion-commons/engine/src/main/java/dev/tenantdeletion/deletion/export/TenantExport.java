package dev.tenantdeletion.deletion.export;

import dev.tenantdeletion.deletion.digest.Sha256Digests;
import dev.tenantdeletion.deletion.engine.TenantRowsSql;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A tenant's rows as NDJSON (contract, third edition, "Export before deletion"): every planned table, parents first
 * (the plan's reverse order), then the retained tables (marked), then the summary line with the counts and the sha256 of
 * every line before it.
 *
 * <p>One {@code REPEATABLE READ READ ONLY} transaction on one connection, so the whole export is one snapshot. Each
 * table is read through a portal of a prepared statement (the reactive client's cursor: rows {@link #FETCH_ROWS} at a
 * time), the statement closed before the next table; inside one transaction a transaction-mode PgBouncer keeps it on
 * one server connection. PostgreSQL writes each line itself ({@link #line}; the session zone is UTC, so offsets are
 * {@code +00:00}) and hands it over as bytes. The response's demand paces the reads, one read ahead of it
 * ({@link ReadAhead}), so memory holds two chunks at most whatever the tenant, and a client that goes away cancels the
 * stream, which ends the transaction and frees the connection.
 */
@ApplicationScoped
public class TenantExport {

    /** Rows per read of a table's cursor: one chunk of the response (docs/benchmarks.md, "Export"). */
    // ~150 KB a read: a chunk must fit the young generation of the production heap (-Xmx64m, serial GC); chunks of
    // 5,000 rows (~1.7 MB) were promoted and cost a full collection every few chunks (docs/benchmarks.md, "Export")
    static final int FETCH_ROWS = 500;
    private static final byte[] NEWLINE = {'\n'};

    /** A table's columns and their types, in order. */
    public static final String COLUMNS = """
            select a.attname, a.atttypid::regtype::text from pg_attribute a
            where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum""";

    private final Pool pool;
    private final DeletionPlan plan;
    private final TenantRowsSql sql;
    private final String serviceName;
    private final Sha256Digests digests;

    public TenantExport(Pool pool, DeletionPlan plan, @ConfigProperty(name = "quarkus.application.name") String serviceName,
            Sha256Digests digests) {
        this.pool = pool;
        this.plan = plan;
        this.sql = new TenantRowsSql(plan);
        this.serviceName = serviceName;
        this.digests = digests;
    }

    /** The tables in export order: planned tables parents first, then the retained ones. */
    public List<String> tableOrder() {
        List<String> order = new ArrayList<>(plan.tableNames());
        Collections.reverse(order);
        order.addAll(plan.retained().keySet());
        return order;
    }

    /**
     * The export of {@code tenant}: chunks of whole lines, each without its last newline (the NDJSON writer puts one
     * after every chunk), the summary line last. Nothing is read before the first request.
     */
    public Multi<byte[]> export(UUID tenant) {
        return Multi.createFrom().resourceFromUni(() -> open(), session -> lines(session, tenant))
                .withFinalizer(ExportSession::close);
    }

    private Uni<ExportSession> open() {
        return digests.digest().chain(digest -> pool.getConnection().chain(connection -> connection.begin()
                .call(() -> connection.query("set transaction isolation level repeatable read, read only").execute())
                .call(() -> connection.query("set local timezone to 'UTC'").execute())
                .map(transaction -> new ExportSession(connection, transaction, digest))
                .onFailure().call(() -> connection.close())));
    }

    private Multi<byte[]> lines(ExportSession session, UUID tenant) {
        ExportTally tally = new ExportTally(session.digest());
        return Multi.createFrom().iterable(tableOrder())
                .onItem().transformToMultiAndConcatenate(table -> table(session.connection(), tenant, table, tally))
                .onCompletion().switchTo(() -> Multi.createFrom().item(() -> summary(tenant, tally)));
    }

    /**
     * One table's lines, a chunk per read of its cursor. PostgreSQL writes each whole line and hands it over as bytes
     * (bytea, binary results), so the JVM only joins them; the portal is read {@link #FETCH_ROWS} rows at a time, one
     * read ahead of the response's demand, and the statement is closed however the stream ends (a named statement
     * must not outlive the transaction behind a transaction-mode pooler).
     */
    private Multi<byte[]> table(SqlConnection connection, UUID tenant, String table, ExportTally tally) {
        boolean retained = plan.retained().containsKey(table);
        return connection.preparedQuery(COLUMNS).execute(Tuple.of(table))
                .chain(columns -> connection.prepare("/* tenant_export */ select convert_to(" + line(table, retained, ExportColumn.of(columns))
                        + ", 'UTF8') from " + rowsOf(table)))
                .onItem().transformToMulti(statement -> {
                    Cursor cursor = statement.cursor(Tuple.of(tenant));
                    ReadAhead reads = new ReadAhead(cursor);
                    return Multi.createBy().repeating().uni(reads::next).whilst(CursorRead::more)
                            .map(CursorRead::rows)
                            .onTermination().call(() -> cursor.close().onFailure().recoverWithNull()
                                    .chain(() -> statement.close()).onFailure().recoverWithNull());
                })
                .filter(rows -> rows.size() > 0)
                .map(rows -> chunk(rows, table, tally));
    }

    /**
     * The SQL expression of one NDJSON line of {@code table}: {@code {"table":…,"row":{…}}}, each column as the contract
     * types it — uuids and numerics (exact decimal text) as strings, integers and booleans as JSON, json/jsonb as they
     * are, timestamps without time zone read as UTC, everything else as {@code to_json} writes it; null as null. The
     * table's alias is {@code e}. Public for the export benchmark, whose limit is these very lines read by psql.
     */
    public static String line(String table, boolean retained, List<ExportColumn> columns) {
        StringBuilder sql = new StringBuilder(literal("{\"table\":" + Json.encode(table) + (retained ? ",\"retained\":true" : "") + ",\"row\":{"));
        boolean first = true;
        for (ExportColumn column : columns) {
            String name = column.name();
            String ref = "e." + identifier(name);
            String value = switch (column.type()) {
                case "uuid", "numeric", "money" -> "'\"' || " + ref + "::text || '\"'";
                case "smallint", "integer", "bigint", "boolean", "json", "jsonb" -> ref + "::text";
                case "timestamp without time zone" -> "to_json(" + ref + " at time zone 'UTC')::text";
                default -> "to_json(" + ref + ")::text";
            };
            sql.append(" || ").append(literal((first ? "" : ",") + Json.encode(name) + ":")).append(" || coalesce(").append(value)
                    .append(", 'null')");
            first = false;
        }
        return sql.append(" || '}}'").toString();
    }

    /** A column of an exported table: its name and its type as {@code regtype} names it ({@link #COLUMNS}). */
    public record ExportColumn(String name, String type) {

        static List<ExportColumn> of(RowSet<Row> columns) {
            List<ExportColumn> all = new ArrayList<>();
            columns.forEach(column -> all.add(new ExportColumn(column.getString(0), column.getString(1))));
            return all;
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** FROM … WHERE of the tenant's rows of {@code table} (alias {@code e}), the tenant being {@code $1}. */
    private String rowsOf(String table) {
        return plan.table(table).map(planned -> planned.tableName() + " e where " + sql.belongs(planned, "e", "$1::uuid"))
                .orElseGet(() -> table + " e where e.tenant_id = $1::uuid");
    }

    /**
     * The rows' lines joined by newlines into one array of exactly their size, copied once from the rows' bytes (the
     * core rows, not their Mutiny wrappers): an export moves every byte of the tenant, and each extra copy or growing
     * buffer showed in the collections (docs/benchmarks.md, "Export").
     */
    private static byte[] chunk(RowSet<Row> rows, String table, ExportTally tally) {
        io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> lines = rows.getDelegate();
        int size = lines.size() - 1;
        for (io.vertx.sqlclient.Row line : lines) {
            size += line.getBuffer(0).length();
        }
        byte[] chunk = new byte[size];
        int at = 0;
        for (io.vertx.sqlclient.Row line : lines) {
            if (at > 0) {
                chunk[at++] = '\n';
            }
            io.vertx.core.buffer.Buffer bytes = line.getBuffer(0);
            bytes.getBytes(chunk, at);
            at += bytes.length();
        }
        tally.add(table, lines.size(), chunk);
        return chunk;
    }

    private byte[] summary(UUID tenant, ExportTally tally) {
        Map<String, Long> counts = new LinkedHashMap<>();
        plan.tableNames().forEach(table -> counts.put(table, tally.count(table)));
        JsonObject summary = JsonObject.of("tenant_id", tenant.toString(), "service", serviceName, "counts", counts,
                "total_rows", counts.values().stream().mapToLong(Long::longValue).sum());
        if (!plan.retained().isEmpty()) {
            Map<String, Long> retainedCounts = new LinkedHashMap<>();
            plan.retained().keySet().forEach(table -> retainedCounts.put(table, tally.count(table)));
            summary.put("retained_counts", retainedCounts);
        }
        summary.put("sha256", tally.sha256());
        Log.infof("export of tenant %s from %s: %d rows", tenant, serviceName, summary.getLong("total_rows"));
        return JsonObject.of("summary", summary).encode().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A cursor read one read ahead of the response: when a read's rows arrive the next read is sent at once, so the
     * database produces the next rows while this chunk is hashed and written (without it the two waited for each other:
     * docs/benchmarks.md, "Export"). At most two reads' rows are held. A read still in flight when the stream ends is
     * harmless: the connection runs its commands in order, so the cursor's close follows it.
     */
    private static final class ReadAhead {

        private final Cursor cursor;
        // set when a read's rows arrive (the connection's thread), taken when the response asks for more (its own)
        private volatile Uni<CursorRead> ahead;

        ReadAhead(Cursor cursor) {
            this.cursor = cursor;
        }

        Uni<CursorRead> next() {
            Uni<CursorRead> current = ahead != null ? ahead : send();
            ahead = null;
            return current.invoke(read -> {
                if (read.more()) {
                    ahead = send();
                }
            });
        }

        /** Sent now, not when subscribed; whether more rows follow is taken when its rows arrive, not later. */
        private Uni<CursorRead> send() {
            return Uni.createFrom().completionStage(cursor.read(FETCH_ROWS).map(rows -> new CursorRead(rows, cursor.hasMore()))
                    .subscribeAsCompletionStage());
        }
    }

    private record CursorRead(RowSet<Row> rows, boolean more) {
    }

    /** The connection and transaction an export holds until its stream ends, however it ends, and its lines' digest. */
    private record ExportSession(SqlConnection connection, Transaction transaction, MessageDigest digest) {

        /** Read only: rolling back ends it as well as a commit would, and also after a failed statement. */
        Uni<Void> close() {
            return transaction.rollback().onFailure().recoverWithNull().eventually(connection::close);
        }
    }

    /** What the lines so far hold: rows per table, and the running sha256 of the lines, each newline-terminated. */
    private static final class ExportTally {

        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final MessageDigest digest;

        ExportTally(MessageDigest digest) {
            this.digest = digest;
        }

        void add(String table, long rows, byte[] chunk) {
            counts.merge(table, rows, Long::sum);
            digest.update(chunk);
            digest.update(NEWLINE);
        }

        long count(String table) {
            return counts.getOrDefault(table, 0L);
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
