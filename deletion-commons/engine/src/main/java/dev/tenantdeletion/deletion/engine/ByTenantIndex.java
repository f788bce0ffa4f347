package dev.tenantdeletion.deletion.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A deletion call reads the tenant's rows through the indexes the contract requires ({@code tenant_id}, every foreign
 * key), never by a sequential or bitmap scan of the table: both settings off, for the call's first statement
 * ({@link SchemaVersion}), each batch's transaction ({@link TenantLock}) and a round's closing check ({@link Batched}),
 * and for those transactions only. A whole tenant in one transaction is left to the planner: it reads all of the
 * tenant's rows, where its choice of a sequential or bitmap scan for a big tenant is the right one (the platform
 * benchmark's one-transaction DELETEs took 1.4 × as long by index).
 *
 * <p>Why: the planner estimates a tenant's share of a table from its statistics, not from what a deletion has just
 * done. For "does the tenant still have a row" ({@code exists}), a batch's {@code limit} and a big tenant's share, a
 * sequential scan looks cheapest — it expects a match within the first pages — but a deleted tenant's rows are dead
 * tuples it must step over, and an absent tenant means reading the whole table, every other tenant's rows included.
 * Measured on the platform benchmark's 1,000,000-row tenant (PostgreSQL's statement log): a call's first statement
 * 95–141 ms and its closing check 85–159 ms per service, where the same statements by the tenant index take 1–15 ms;
 * an index scan also marks the index entries of dead rows as such, so each later batch and check skips them. A bitmap
 * scan would read all of the tenant's index entries, dead ones included, whatever the batch's limit.
 *
 * <p>JIT compilation off as well: a scan left with no other path (a catalog table without a usable index, the
 * transaction's temporary table) keeps its sequential scan at the planner's "disabled" cost, which lifts the
 * statement's estimate over {@code jit_above_cost}; PostgreSQL then compiled the call's first statement for ~0.5 s.
 */
final class ByTenantIndex {

    /** The transaction-local settings, as select-list items (also in the statement that opens a batch's transaction). */
    static final String SETTINGS = "set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), "
            + "set_config('jit', 'off', true)";

    private ByTenantIndex() {
    }

    /** A read-only statement outside a deletion transaction, in a transaction of its own with the settings. */
    static Uni<RowSet<Row>> query(Pool pool, String sql, Tuple parameters) {
        return pool.withTransaction(connection -> connection.query("select " + SETTINGS).execute()
                .chain(() -> connection.preparedQuery(sql).execute(parameters)));
    }
}
