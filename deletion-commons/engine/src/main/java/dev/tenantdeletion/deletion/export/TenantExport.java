package dev.tenantdeletion.deletion.export;

import dev.tenantdeletion.deletion.engine.TenantRowsSql;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.deletion.plan.PlannedTable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * table is read through a server-side cursor ({@code DECLARE … CURSOR}, {@code FETCH n}) with plain statements, which
 * PgBouncer's transaction pooling allows; PostgreSQL renders each row as JSON ({@code row_to_json}, numerics cast to
 * text, timestamps without zone read as UTC, session zone UTC so offsets are {@code +00:00}). A fetch happens only when
 * the HTTP response has written the previous one (the {@code Multi}'s demand), so memory holds one fetch whatever the
 * tenant, and a client that goes away cancels the stream, which ends the transaction and frees the connection.
 */
@ApplicationScoped
public class TenantExport {

    /** Rows per FETCH: one chunk of the response (docs/benchmarks.md, "Export"). */
    static final int FETCH_ROWS = 2000;
    private static final String CURSOR = "tenant_export";
    private static final byte[] NEWLINE = {'\n'};

    /**
     * The select list of a table, each column as the contract types it in JSON: numerics and money as exact decimal
     * text, timestamps without time zone read as UTC (so they carry an offset), everything else as row_to_json writes it.
     */
    private static final String COLUMNS = """
            select string_agg(case
                when a.atttypid in ('numeric'::regtype, 'money'::regtype) then 'e.' || quote_ident(a.attname) || '::text'
                when a.atttypid = 'timestamp'::regtype then '(e.' || quote_ident(a.attname) || ' at time zone ''UTC'')'
                else 'e.' || quote_ident(a.attname) end || ' as ' || quote_ident(a.attname), ', ' order by a.attnum)
            from pg_attribute a
            where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped""";

    private final Pool pool;
    private final DeletionPlan plan;
    private final TenantRowsSql sql;
    private final String serviceName;

    public TenantExport(Pool pool, DeletionPlan plan, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.pool = pool;
        this.plan = plan;
        this.sql = new TenantRowsSql(plan);
        this.serviceName = serviceName;
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
    public Multi<Buffer> export(UUID tenant) {
        return Multi.createFrom().resourceFromUni(() -> open(), session -> lines(session, tenant))
                .withFinalizer(ExportSession::close);
    }

    private Uni<ExportSession> open() {
        return pool.getConnection().chain(connection -> connection.begin()
                .call(() -> connection.query("set transaction isolation level repeatable read, read only").execute())
                .call(() -> connection.query("set local timezone to 'UTC'").execute())
                .map(transaction -> new ExportSession(connection, transaction))
                .onFailure().call(() -> connection.close()));
    }

    private Multi<Buffer> lines(ExportSession session, UUID tenant) {
        ExportTally tally = new ExportTally();
        return Multi.createFrom().iterable(tableOrder())
                .onItem().transformToMultiAndConcatenate(table -> table(session.connection(), tenant, table, tally))
                .onCompletion().switchTo(() -> Multi.createFrom().item(() -> summary(tenant, tally)));
    }

    /** One table's lines, a chunk per FETCH: the cursor is declared when the table's turn comes, closed after its last fetch. */
    private Multi<Buffer> table(SqlConnection connection, UUID tenant, String table, ExportTally tally) {
        boolean retained = plan.retained().containsKey(table);
        String prefix = "{\"table\":" + Json.encode(table) + (retained ? ",\"retained\":true" : "") + ",\"row\":";
        Uni<Void> declared = connection.preparedQuery(COLUMNS).execute(Tuple.of(table))
                .map(rows -> rows.iterator().next().getString(0))
                .chain(columns -> connection.query("declare " + CURSOR + " no scroll cursor for select row_to_json(r)::text from (select "
                        + columns + " from " + rowsOf(table, tenant) + ") r").execute())
                .replaceWithVoid();
        Multi<RowSet<Row>> fetches = Multi.createBy().repeating()
                .uni(() -> connection.query("fetch " + FETCH_ROWS + " from " + CURSOR).execute())
                .whilst(rows -> rows.size() == FETCH_ROWS);
        return declared.onItem().transformToMulti(ignored -> fetches)
                .filter(rows -> rows.size() > 0)
                .map(rows -> chunk(rows, prefix, table, tally))
                .onCompletion().call(() -> connection.query("close " + CURSOR).execute());
    }

    /** FROM … WHERE of the tenant's rows of {@code table}, alias {@code e}; the tenant is a parsed UUID, so a literal is safe. */
    private String rowsOf(String table, UUID tenant) {
        String literal = "'" + tenant + "'::uuid";
        return plan.table(table).map(planned -> planned.tableName() + " e where " + sql.belongs(planned, "e", literal))
                .orElseGet(() -> table + " e where e.tenant_id = " + literal);
    }

    private static Buffer chunk(RowSet<Row> rows, String prefix, String table, ExportTally tally) {
        StringBuilder text = new StringBuilder(rows.size() * 160);
        for (Row row : rows) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(prefix).append(row.getString(0)).append('}');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        tally.add(table, rows.size(), bytes);
        return Buffer.buffer(bytes);
    }

    private Buffer summary(UUID tenant, ExportTally tally) {
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
        return Buffer.buffer(JsonObject.of("summary", summary).encode());
    }

    /** The connection and transaction an export holds until its stream ends, however it ends. */
    private record ExportSession(SqlConnection connection, Transaction transaction) {

        /** Read only: rolling back ends it as well as a commit would, and also after a failed statement. */
        Uni<Void> close() {
            return transaction.rollback().onFailure().recoverWithNull().eventually(connection::close);
        }
    }

    /** What the lines so far hold: rows per table, and the running sha256 of the lines, each newline-terminated. */
    private static final class ExportTally {

        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final MessageDigest digest;

        ExportTally() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
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
