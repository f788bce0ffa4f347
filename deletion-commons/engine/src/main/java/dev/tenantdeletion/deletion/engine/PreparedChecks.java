package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.Map;

/** One call's view of the catalog ({@link ForeignKeyChecks#prepare}); {@link #begin} once per deletion transaction. */
final class PreparedChecks {

    /**
     * Run first in a fast-mode transaction: turns the triggers off for this transaction only, unless a planned table
     * carries a trigger of its own at this moment (then no row: the transaction takes the trigger path).
     */
    private static final String TRIGGERS_OFF = "select set_config('session_replication_role', 'replica', true) where not exists ("
            + ForeignKeyChecks.USER_TRIGGERS + ")";

    private final ForeignKeyChecks.Eligibility eligibility;
    private final Map<String, List<ForeignKey>> byParent;
    private final String[] tables;
    private final int minBatchRows;

    PreparedChecks(ForeignKeyChecks.Eligibility eligibility, Map<String, List<ForeignKey>> byParent, String[] tables, int minBatchRows) {
        this.eligibility = eligibility;
        this.byParent = byParent;
        this.tables = tables;
        this.minBatchRows = minBatchRows;
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
        if (eligibility.mode() != ForeignKeyMode.FAST || rows < minBatchRows) {
            return Uni.createFrom().item(new CheckedTransaction(connection, false, Map.of()));
        }
        return connection.preparedQuery(TRIGGERS_OFF).execute(Tuple.of((Object) tables))
                .map(result -> new CheckedTransaction(connection, result.rowCount() == 1, byParent));
    }
}
