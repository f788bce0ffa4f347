package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checks a call's transactions begin with, as {@link ForeignKeyChecks#prepare} read (and cached) them;
 * {@link #begin} once per deletion transaction.
 */
final class PreparedChecks {

    /** Where a fast transaction's DELETEs of referenced tables put the ids they delete: the check's input, never the heap's. */
    static final String DELETED_IDS = "pg_temp.tenant_deletion_deleted";

    private final ForeignKeyChecks owner;
    private final ForeignKeyChecks.Eligibility eligibility;
    private final Map<String, List<ForeignKey>> byParent;
    private final int minBatchRows;
    /**
     * Run first in a fast transaction, one round trip: the planned tables' ROW EXCLUSIVE locks; the temporary table of
     * deleted ids; then, on a snapshot younger than the locks, the triggers off for this transaction only if the
     * catalog's fingerprint is still the prepared one (else no row: the transaction keeps the triggers). Null in
     * trigger mode.
     */
    private final String beginFast;
    /** The planned relations again before commit ({@link CheckedTransaction#verify}): none may have been added. */
    private final String recheckWith;

    PreparedChecks(ForeignKeyChecks owner, ForeignKeyChecks.Eligibility eligibility, Map<String, List<ForeignKey>> byParent,
            String[] tables, int minBatchRows, String fingerprint) {
        this.owner = owner;
        this.eligibility = eligibility;
        this.byParent = byParent;
        this.minBatchRows = minBatchRows;
        this.beginFast = fingerprint == null ? null : beginFast(tables, fingerprint, !byParent.isEmpty());
        this.recheckWith = ForeignKeyChecks.PLANNED_RELATIONS.formatted(names(tables));
    }

    private static String names(String[] tables) {
        return Arrays.stream(tables).map(t -> "'" + t.replace("'", "''") + "'").collect(Collectors.joining(", ", "array[", "]::text[]"));
    }

    private static String unchanged(String fingerprint) {
        return ForeignKeyChecks.FINGERPRINT + " = '" + fingerprint.replace("'", "''") + "'";
    }

    /**
     * A simple-protocol statement list (LOCK TABLE cannot be a prepared SELECT's part): the names come from the plan
     * (code, not requests) and are quoted as literals anyway; the fingerprint is an md5 hex string.
     */
    private static String beginFast(String[] tables, String fingerprint, boolean deletedIds) {
        return "lock table " + String.join(", ", tables) + " in row exclusive mode;\n"
                + (deletedIds ? "create temporary table " + DELETED_IDS.substring("pg_temp.".length())
                        + " (rel int not null, id uuid not null) on commit drop;\n" : "")
                + ForeignKeyChecks.PLANNED_RELATIONS.formatted(names(tables))
                + "select set_config('session_replication_role', 'replica', true), (select string_agg(oid::text, ',') from planned)"
                + " where " + unchanged(fingerprint);
    }

    /**
     * True before commit when no relation joined the planned ones since the transaction began: an attached partition
     * (ATTACH PARTITION need not wait for ROW EXCLUSIVE). Relations the transaction itself removed (a whole partition
     * detached and dropped) change the fingerprint but are no risk, hence the relations and not the fingerprint.
     */
    private static String noRelationAdded(String relations) {
        return "not exists (select 1 from planned where oid <> all('{" + relations.replaceAll("[^0-9,]", "") + "}'::oid[]))";
    }

    ForeignKeyChecks.Eligibility eligibility() {
        return eligibility;
    }

    /**
     * After the tenant lock: the transaction's connection with the triggers off if it may take the fast path now;
     * {@code rows} is the batch size (Integer.MAX_VALUE for one transaction): below deletion.fk-checks-min-batch-rows,
     * the triggers.
     */
    Uni<CheckedTransaction> begin(SqlConnection connection, int rows) {
        if (beginFast == null || rows < minBatchRows) {
            return Uni.createFrom().item(new CheckedTransaction(connection, false, Map.of(), recheckWith, null));
        }
        return connection.query(beginFast).execute().map(result -> {
            RowSet<Row> last = result;
            while (last.next() != null) {
                last = last.next();
            }
            boolean triggersOff = last.size() == 1;
            if (!triggersOff) {
                // DDL changed what the checks rest on: this transaction keeps the triggers, the next call reads the catalog
                owner.invalidate(this);
            }
            String unchanged = triggersOff ? noRelationAdded(last.iterator().next().getString(1)) : null;
            return new CheckedTransaction(connection, triggersOff, triggersOff ? byParent : Map.of(), recheckWith, unchanged);
        });
    }
}
