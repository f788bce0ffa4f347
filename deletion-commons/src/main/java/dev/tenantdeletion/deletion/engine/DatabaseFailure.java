package dev.tenantdeletion.deletion.engine;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL error behind a failed statement, whichever wrapper (Hibernate's SQLException or the
 * Vert.x client's PgException) carries it.
 */
record DatabaseFailure(String sqlState, String message) {

    private static final Pattern FK_VIOLATION = Pattern.compile(
            "on table \\\"([^\\\"]+)\\\" violates foreign key constraint \\\"([^\\\"]+)\\\" on table \\\"([^\\\"]+)\\\"");

    static DatabaseFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return new DatabaseFailure(pg.getSqlState(), pg.getErrorMessage());
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return new DatabaseFailure(sql.getSQLState(), sql.getMessage());
            }
        }
        return new DatabaseFailure(null, String.valueOf(failure.getMessage()));
    }

    boolean foreignKeyViolation() {
        return "23503".equals(sqlState);
    }

    /** A message for the summary's errors: for a conflict, which table references which, through which constraint. */
    String describe() {
        if (foreignKeyViolation()) {
            Matcher m = FK_VIOLATION.matcher(message);
            if (m.find()) {
                return "rows of another tenant in table " + m.group(3) + " reference this tenant's rows in " + m.group(1)
                        + " (constraint " + m.group(2) + ")";
            }
            return "rows of another tenant reference this tenant's rows: " + message;
        }
        return "deletion failed: " + message;
    }
}
