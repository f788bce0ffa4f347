package dev.tenantdeletion.deletion.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Idempotency-Key receipts (table deletion_receipts, migration db/deletion-engine): the totals of every
 * call made under a key. A call opens the receipt and so becomes its latest call; each of its transactions
 * first checks, under the tenant lock, that it still is (else it stops: an older call abandoned by its
 * caller never works behind a newer one's back), then deletes and adds its counts before committing. So a
 * count is recorded exactly when its rows are gone, and every transaction of an older call commits before
 * the newer call's first lock: the newer call's answer includes all of them. Old receipts go by
 * {@link ReceiptPruning}.
 */
@ApplicationScoped
public class Receipts {

    /** The engine's own table: known to the coverage check, never listed as the service's data. */
    public static final String TABLE = "deletion_receipts";

    private static final String OPEN = """
            insert into deletion_receipts (idempotency_key, tenant_id, calls) values ($1, $2, 1)
            on conflict (idempotency_key) do update
               set calls = deletion_receipts.calls + 1, last_call_at = now()
             where deletion_receipts.tenant_id = excluded.tenant_id
            returning calls, first_call_at""";

    /** Adds per-table counts to the receipt's (jsonb keys of both sides, summed). */
    private static final String ADD = """
            update deletion_receipts
               set deleted_counts = (select jsonb_object_agg(k, coalesce((deleted_counts ->> k)::bigint, 0)
                                                                + coalesce(($2::jsonb ->> k)::bigint, 0))
                                       from jsonb_object_keys(deleted_counts || $2::jsonb) k),
                   last_call_at = now()
             where idempotency_key = $1""";

    private static final String LATEST = "select calls from deletion_receipts where idempotency_key = $1";

    private static final String FINISH = """
            update deletion_receipts set complete = $3, last_call_at = now()
             where idempotency_key = $1 and calls = $2
            returning deleted_counts""";

    private static final String TOTALS = "select deleted_counts from deletion_receipts where idempotency_key = $1";

    /**
     * The call that opened the key's receipt last (its number under the key): only it may add to the receipt.
     * {@code firstCallAt} names the receipt itself: a receipt pruned and opened again under the same key has another.
     */
    public record LatestCall(String key, int number, Instant firstCallAt) {

        /** What the answer's {@code summary.receipt} says of it. */
        public DeletionSummary.Receipt describe() {
            return new DeletionSummary.Receipt(firstCallAt.toString(), number);
        }
    }

    private final Pool pool;

    public Receipts(Pool pool) {
        this.pool = pool;
    }

    /** Opens (or reopens) the key's receipt for this tenant; fails when the key belongs to another tenant. */
    Uni<LatestCall> open(String key, UUID tenant) {
        return pool.preparedQuery(OPEN).execute(Tuple.of(key, tenant)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new DeletionStopped(DeletionFailure.IDEMPOTENCY_KEY_REUSED,
                        "this Idempotency-Key was first used for another tenant; use a new key per tenant and service");
            }
            Row row = rows.iterator().next();
            return new LatestCall(key, row.getInteger("calls"), row.getOffsetDateTime("first_call_at").toInstant());
        });
    }

    /**
     * Fails when a newer call has opened the key's receipt. Run under the tenant lock, before the transaction
     * deletes anything (its own statement, so it reads what committed while the lock was awaited).
     */
    Uni<Void> requireLatest(SqlConnection connection, LatestCall call) {
        return connection.preparedQuery(LATEST).execute(Tuple.of(call.key())).map(rows -> {
            if (rows.rowCount() == 0 || rows.iterator().next().getInteger(0) != call.number()) {
                throw new DeletionStopped(DeletionFailure.DELETION_IN_PROGRESS,
                        "a newer call with the same Idempotency-Key has taken over this deletion");
            }
            return null;
        });
    }

    /** Adds what this transaction deleted, in the same transaction. */
    Uni<Void> add(SqlConnection connection, LatestCall call, Map<String, Long> counts) {
        return connection.preparedQuery(ADD).execute(Tuple.of(call.key(), new JsonObject(new LinkedHashMap<>(counts))))
                .replaceWithVoid();
    }

    /** Records the call's end and answers the key's totals, in the order of {@code tables}. */
    Uni<Map<String, Long>> finish(LatestCall call, boolean complete, List<String> tables) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(call.key(), call.number(), complete))
                // a newer call has taken over since our last batch: our work is in the totals all the same
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(rows) : pool.preparedQuery(TOTALS).execute(Tuple.of(call.key())))
                .map(rows -> counts(rows, tables));
    }

    /** The key's totals, in the order of {@code tables}. */
    Uni<Map<String, Long>> totals(String key, List<String> tables) {
        return pool.preparedQuery(TOTALS).execute(Tuple.of(key)).map(rows -> counts(rows, tables));
    }

    private static Map<String, Long> counts(RowSet<Row> rows, List<String> tables) {
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.forEach(table -> counts.put(table, 0L));
        if (rows.rowCount() > 0) {
            Object value = rows.iterator().next().getValue(0);
            JsonObject json = value instanceof JsonObject object ? object : new JsonObject(String.valueOf(value));
            json.forEach(entry -> counts.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
        }
        return counts;
    }
}
