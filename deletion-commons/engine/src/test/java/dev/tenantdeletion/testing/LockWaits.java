package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Future;

/**
 * For the tests that pause a deletion deterministically (another connection holds row locks the deletion's statement
 * waits on) and run DDL meanwhile: whether a session of the test database waits on a lock in a given statement.
 */
public final class LockWaits {

    private LockWaits() {
    }

    /** Until a session of this database waits on a lock in a statement starting with {@code statement} (at most 30 s). */
    public static void awaitWaiting(String statement) throws InterruptedException {
        for (int i = 0; i < 3_000 && !waiting(statement); i++) {
            Thread.sleep(10);
        }
        assertTrue(waiting(statement), "no session waits in " + statement);
    }

    /** Until {@code ddl} is done or seen waiting on a lock (at most a second: the deletion's own wait is bounded). */
    public static void awaitDoneOrWaiting(Future<?> ddl, String statement) throws InterruptedException {
        for (int i = 0; i < 100 && !ddl.isDone() && !waiting(statement); i++) {
            Thread.sleep(10);
        }
    }

    public static boolean waiting(String statement) {
        return count("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
                + " and state = 'active' and ltrim(query) ilike '" + statement.replace("'", "''") + "%'") > 0;
    }

    public static long count(String sql) {
        try (Connection db = TestDb.connect()) {
            return count(db, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
