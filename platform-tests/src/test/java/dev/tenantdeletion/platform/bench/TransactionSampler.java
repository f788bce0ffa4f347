package dev.tenantdeletion.platform.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The longest transaction PostgreSQL shows on some databases while something runs, by sampling: a thread polls
 * {@code pg_stat_activity} every {@code intervalMillis} (fixed rate) on its own autocommit connection, so every
 * poll reads a fresh view, for {@code clock_timestamp() - xact_start} of every client backend of those databases
 * that is in a transaction ({@code xact_start is not null}) and not idle ({@code state <> 'idle'}; "idle in
 * transaction" counts), its own backend excluded, and keeps the maximum seen per database with the statement
 * the backend was running then. {@link #stopWhenQuiet} keeps sampling after the measured work until no transaction
 * is open on those databases, so a transaction that outlives its HTTP call (the caller timed out) is not cut short.
 *
 * <p>Resolution: a transaction is seen at most one sampling interval (plus a poll's own time) before its end, so
 * the maximum is low by at most the longest gap between two polls ({@link Result#maxGapMillis}, reported, since on
 * a loaded machine the sampler can be starved); a transaction shorter than a gap can be missed altogether, which
 * does not matter when the question is whether any transaction reached a second.
 */
final class TransactionSampler {

    private static final String SAMPLE = """
            select datname, extract(epoch from (clock_timestamp() - xact_start)) * 1000, coalesce(state, ''),
                   left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 120)
            from pg_stat_activity
            where datname = any (?) and pid <> pg_backend_pid() and backend_type = 'client backend'
              and state <> 'idle' and xact_start is not null""";

    /** The longest transaction seen on one database: its age in ms, its state and statement at that sample. */
    record Longest(double millis, String state, String query) {
        String describe() {
            return String.format(Locale.ROOT, "%.0f ms (%s: %s)", millis, state, query);
        }
    }

    /** What the sampler saw: per database (by label), the number of polls, their mean and longest spacing. */
    record Result(Map<String, Longest> longest, long samples, double meanGapMillis, double maxGapMillis, long errors) {

        double max() {
            return longest.values().stream().mapToDouble(Longest::millis).max().orElse(0);
        }

        double of(String label) {
            Longest l = longest.get(label);
            return l == null ? 0 : l.millis();
        }

        String describe() {
            StringBuilder out = new StringBuilder();
            longest.forEach((label, l) -> out.append(' ').append(label).append(' ').append(l.describe()).append(';'));
            return String.format(Locale.ROOT, "%d polls of pg_stat_activity, every %.1f ms on average, longest gap %.1f ms%s;%s",
                    samples, meanGapMillis, maxGapMillis, errors == 0 ? "" : ", " + errors + " failed polls", out);
        }
    }

    private final Connection db;
    private final Map<String, String> databases; // label → database name
    private final long intervalNanos;
    private final Map<String, Longest> longest = new LinkedHashMap<>();
    private volatile boolean running = true;
    private long samples;
    private volatile int open; // open transactions the latest poll saw
    private long errors;
    private long first;
    private long last;
    private long maxGap;
    private final Thread thread;

    private TransactionSampler(Connection db, Map<String, String> databases, long intervalMillis) {
        this.db = db;
        this.databases = databases;
        this.intervalNanos = intervalMillis * 1_000_000L;
        databases.keySet().forEach(label -> longest.put(label, new Longest(0, "none seen", "")));
        this.thread = new Thread(this::run, "bench-xact-sampler");
        this.thread.setDaemon(true);
    }

    /** Starts sampling on {@code db} (an autocommit connection this sampler owns and closes). */
    static TransactionSampler start(Connection db, Map<String, String> databases, long intervalMillis) throws SQLException {
        db.setAutoCommit(true);
        TransactionSampler sampler = new TransactionSampler(db, databases, intervalMillis);
        sampler.thread.start();
        return sampler;
    }

    /**
     * Stops once a poll has seen no open transaction on those databases (or after {@code maxWaitMillis}): a
     * service's transaction that outlives the call it serves (its caller timed out, say) still counts.
     */
    Result stopWhenQuiet(long maxWaitMillis) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        long polled = samples();
        while (System.nanoTime() < deadline && (open > 0 || samples() == polled) && thread.isAlive()) {
            Thread.sleep(5);
        }
        return stop();
    }

    private synchronized long samples() {
        return samples;
    }

    /** Stops after one last poll and returns what was seen. */
    Result stop() throws InterruptedException, SQLException {
        running = false;
        thread.join();
        db.close();
        double span = (last - first) / 1e6;
        return new Result(new LinkedHashMap<>(longest), samples, samples > 1 ? span / (samples - 1) : Double.NaN, maxGap / 1e6,
                errors);
    }

    private void run() {
        Map<String, String> labelOf = new LinkedHashMap<>();
        databases.forEach((label, database) -> labelOf.put(database, label));
        try (PreparedStatement statement = db.prepareStatement(SAMPLE)) {
            Array names = db.createArrayOf("text", databases.values().toArray());
            statement.setArray(1, names);
            long next = System.nanoTime();
            boolean more = true;
            while (more) {
                more = running; // one last poll after stop()
                long now = System.nanoTime();
                if (samples > 0) {
                    maxGap = Math.max(maxGap, now - last);
                } else {
                    first = now;
                }
                last = now;
                int seen = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        seen++;
                        String label = labelOf.get(rs.getString(1));
                        double ms = rs.getDouble(2);
                        if (label != null && ms > longest.get(label).millis()) {
                            longest.put(label, new Longest(ms, rs.getString(3), rs.getString(4)));
                        }
                    }
                } catch (SQLException e) {
                    errors++;
                    seen = 1; // unknown: not quiet
                }
                open = seen;
                synchronized (this) {
                    samples++;
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime(); // behind: no burst of catch-up polls
                }
            }
        } catch (SQLException e) {
            errors++;
        }
    }
}
