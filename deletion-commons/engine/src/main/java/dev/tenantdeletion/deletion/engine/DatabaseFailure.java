package dev.tenantdeletion.deletion.engine;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The PostgreSQL error behind a failed statement, read from the server's own error fields (SQLSTATE,
 * table, constraint), never from the message text, which depends on lc_messages. What callers read
 * ({@link #describe()}) is in stable words: the kind of failure and, when PostgreSQL names them, the table
 * and constraint of this service's own schema; never the server's message, its SQLSTATE text or anything
 * of another tenant. The rest ({@link #detail()}) is for the log line.
 */
record DatabaseFailure(String sqlState, String table, String constraint, String message, boolean unreachable) {

    /** A table or constraint name as PostgreSQL names it; anything else in those fields is not repeated to callers. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    static final String FOREIGN_KEY_VIOLATION = "23503";
    static final String LOCK_NOT_AVAILABLE = "55P03";

    static DatabaseFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CheckedTransaction.Violation violation) {
                return new DatabaseFailure(FOREIGN_KEY_VIOLATION, violation.table, violation.constraint, violation.getMessage(), false);
            }
        }
        return pgException(failure)
                .map(pg -> new DatabaseFailure(pg.getSqlState(), pg.getTable(), pg.getConstraint(), pg.getErrorMessage(), false))
                .orElseGet(() -> new DatabaseFailure(null, null, null, String.valueOf(failure), unreachable(failure)));
    }

    /** No connection, a lost one, or none free in time: the database did not answer at all. */
    private static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException
                    || t instanceof NoStackTraceThrowable && "Timeout".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
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

    /**
     * The kind of failure in stable words, from the SQLSTATE (its class where one code would be too fine):
     * what a caller can act on (retry later, call an operator), nothing of the server's own text.
     */
    String kind() {
        if (sqlState == null) {
            return unreachable ? "database not reachable" : "internal error";
        }
        return switch (sqlState) {
            case "57014" -> "statement timeout";
            case LOCK_NOT_AVAILABLE -> "lock not available";
            case "40P01" -> "deadlock";
            case "40001" -> "serialization failure";
            case FOREIGN_KEY_VIOLATION -> "foreign key violation";
            case "42501" -> "permission denied";
            case "42P01" -> "table missing";
            case "25006" -> "read-only transaction";
            case "57P01", "57P02", "57P03" -> "database shutting down or starting";
            default -> switch (sqlState.substring(0, 2)) {
                case "08" -> "database connection failure";
                case "53" -> "database out of resources";
                case "23" -> "integrity constraint violation";
                default -> "database error";
            };
        };
    }

    /** What a caller reads: "deletion failed: statement timeout on table pos_sessions (constraint …)". */
    String describe() {
        return "deletion failed: " + kind() + (named(table) ? " on table " + table : "")
                + (named(constraint) ? " (constraint " + constraint + ")" : "");
    }

    private static boolean named(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** What the log line adds: the server's message and SQLSTATE. */
    String detail() {
        return message + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")");
    }
}
