package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One deletion transaction's connection, with the foreign-key checks of its mode wrapped around it: every DELETE
 * goes through {@link #delete}, which, with the triggers off, also puts the ids of the rows the checks must look for
 * into the transaction's temporary table ({@link PreparedChecks#DELETED_IDS}) in the same statement; {@link #verify}
 * runs the checks before commit. Only counts come back to Java: the heap does not grow with the rows deleted. The
 * statements themselves know nothing of the mode.
 */
final class CheckedTransaction {

    private static final String TRIGGERS_ON = "set_config('session_replication_role', 'origin', true)";

    private final SqlConnection connection;
    private final boolean triggersOff;
    private final Map<String, List<ForeignKey>> byParent;
    /**
     * With the triggers off, the catalog check again before commit: {@code with} (the planned relations, partitions
     * included) and the condition that none was added since the transaction began.
     */
    private final String recheckWith;
    private final String unchanged;
    /** Per referenced table, its tag in the temporary table (its index in byParent). */
    private final Map<String, Integer> tags = new HashMap<>();
    /** Referenced tables this transaction deleted rows from. */
    private final Set<String> deletedFrom = new LinkedHashSet<>();

    CheckedTransaction(SqlConnection connection, boolean triggersOff, Map<String, List<ForeignKey>> byParent, String recheckWith,
            String unchanged) {
        this.connection = connection;
        this.triggersOff = triggersOff;
        this.byParent = byParent;
        this.recheckWith = recheckWith;
        this.unchanged = unchanged;
        byParent.keySet().forEach(table -> tags.put(table, tags.size()));
    }

    /** Runs a DELETE of {@code table}'s rows and answers how many it deleted. */
    Uni<Integer> delete(String table, String statement, Tuple parameters) {
        // the checks need the ids deleted from a referenced table: they go to the temporary table, not to Java
        Integer tag = triggersOff ? tags.get(table) : null;
        String sql = tag == null ? statement : "with d as (" + statement + " returning id) insert into " + PreparedChecks.DELETED_IDS
                + " (rel, id) select " + tag + ", id from d";
        return connection.preparedQuery(sql).execute(parameters).map(RowSet::rowCount).invoke(rows -> {
            if (tag != null && rows > 0) {
                deletedFrom.add(table);
            }
        });
    }

    /**
     * Runs {@code statements} over the simple protocol (semicolon-separated; the first one's rows answered): the
     * statements of a whole-partition erasure, which name the tenant's partition and so must not be prepared and cached.
     */
    Uni<RowSet<Row>> simple(String statements) {
        return connection.query(statements).execute();
    }

    /** Runs a statement that deletes nothing (a lock). */
    Uni<RowSet<Row>> query(String statement, Tuple parameters) {
        return connection.preparedQuery(statement).execute(parameters);
    }

    /**
     * Before commit, in one statement (one round trip, one fresh snapshot): the triggers back on for whatever the
     * transaction still writes (the receipt); has no relation joined the planned ones since the transaction began (a
     * partition attached meanwhile — ATTACH PARTITION does not wait for the planned tables' ROW EXCLUSIVE locks when the
     * table has no default partition and no foreign key into them — would have had its triggers and rules silenced
     * by every later statement: {@link CatalogChanged}, the transaction rolls back); and per foreign key into a table
     * rows were deleted from, does any row still reference a deleted id? (An index scan of the key's column over the
     * sorted ids; the ids' array is the server's memory, 16 bytes an id, for the length of the statement.)
     */
    Uni<Void> verify() {
        if (!triggersOff) {
            return Uni.createFrom().voidItem();
        }
        List<ForeignKey> keys = new ArrayList<>();
        StringBuilder statement = new StringBuilder(recheckWith + "select " + TRIGGERS_ON + ", " + unchanged);
        for (String table : deletedFrom) {
            for (ForeignKey fk : byParent.get(table)) {
                keys.add(fk);
                statement.append(", exists (select 1 from ").append(fk.child().quotedTable()).append(" c where c.")
                        .append(fk.child().quotedColumns().get(0)).append(" = any(array(select d.id from ")
                        .append(PreparedChecks.DELETED_IDS).append(" d where d.rel = ").append(tags.get(table)).append(")))");
            }
        }
        // simple protocol: the temporary table is new in every transaction, a cached plan of it would only be re-planned
        return connection.query(statement.toString()).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            if (!row.getBoolean(1)) {
                throw new CatalogChanged();
            }
            for (int i = 0; i < keys.size(); i++) {
                if (row.getBoolean(i + 2)) {
                    throw new Violation(keys.get(i));
                }
            }
        }).replaceWithVoid();
    }

    /** A relation joined the planned ones (a partition attached) during a transaction with the triggers off. */
    static final class CatalogChanged extends RuntimeException {
        CatalogChanged() {
            super("a partition was attached to a planned table during the transaction");
        }
    }
    /** A row still references a row the transaction deleted: handled as PostgreSQL's own 23503 would be. */
    static final class Violation extends RuntimeException {
        final String table;
        final String constraint;

        Violation(ForeignKey fk) {
            super("update or delete on table \"" + fk.parent().table() + "\" violates foreign key constraint \"" + fk.name()
                    + "\" on table \"" + fk.child().table() + "\" (set-based check)");
            this.table = fk.child().table();
            this.constraint = fk.name();
        }
    }
}
