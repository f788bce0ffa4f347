package dev.tenantdeletion.deletion.engine;

import io.vertx.pgclient.PgException;
import java.util.Optional;

/**
 * The PostgreSQL error behind a failed statement, read from the server's own error fields (SQLSTATE,
 * table, constraint), never from the message text, which depends on lc_messages.
 */
record DatabaseFailure(String sqlState, String table, String constraint, String message) {

    static final String FOREIGN_KEY_VIOLATION = "23503";
    static final String LOCK_NOT_AVAILABLE = "55P03";

    static DatabaseFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CheckedTransaction.Violation violation) {
                return new DatabaseFailure(FOREIGN_KEY_VIOLATION, violation.table, violation.constraint, violation.getMessage());
            }
        }
        return pgException(failure)
                .map(pg -> new DatabaseFailure(pg.getSqlState(), pg.getTable(), pg.getConstraint(), pg.getErrorMessage()))
                .orElseGet(() -> new DatabaseFailure(null, null, null, String.valueOf(failure.getMessage())));
    }

    static Optional<PgException> pgException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return Optional.of(pg);
            }
        }
        return Optional.empty();
    }

    static boolean is(Throwable failure, String sqlState) {
        if (FOREIGN_KEY_VIOLATION.equals(sqlState) && FOREIGN_KEY_VIOLATION.equals(of(failure).sqlState())) {
            return true;
        }
        return pgException(failure).map(pg -> sqlState.equals(pg.getSqlState())).orElse(false);
    }

    String describe() {
        return "deletion failed: " + message + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")");
    }
}
