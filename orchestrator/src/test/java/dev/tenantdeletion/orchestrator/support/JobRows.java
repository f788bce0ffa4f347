package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Jobs written straight into the job store, as another replica (or a crashed one) would have left them. */
public final class JobRows {

    private JobRows() {
    }

    /** A job row; {@code leaseOwner} null means unclaimed, {@code leaseSeconds} is relative to now (negative: expired). */
    public static void job(Connection db, UUID jobId, UUID tenant, String status, String leaseOwner, int leaseSeconds) throws SQLException {
        TestDb.update(db, """
                insert into deletion_jobs (id, tenant_id, tenant_name, reason, requested_by, status, created_at, started_at,
                                           lease_owner, lease_expires_at)
                values (?, ?, 'Seeded', 'left behind', 'auth-service', cast(? as varchar), now() - interval '2 minutes',
                        case when cast(? as varchar) = 'pending' then null else now() - interval '1 minute' end,
                        cast(? as varchar),
                        case when cast(? as varchar) is null then null else now() + make_interval(secs => cast(? as integer)) end)""",
                jobId, tenant, status, status, leaseOwner, leaseOwner, leaseSeconds);
    }

    public static void service(Connection db, UUID jobId, String service, String status, int attempts, String countsJson,
            long total, boolean verified) throws SQLException {
        TestDb.update(db, """
                insert into deletion_job_services (id, job_id, service, status, attempts, deleted_counts, total_deleted, verified)
                values (?, ?, ?, ?, ?, cast(? as json), ?, ?)""",
                UUID.randomUUID(), jobId, service, status, attempts, countsJson, total, verified);
    }

    /** A pending job for every one of the three fake services, in one transaction (claimers are watching). */
    public static void pendingJob(UUID jobId, UUID tenant) {
        try (Connection db = TestDb.connect()) {
            db.setAutoCommit(false);
            job(db, jobId, tenant, "pending", null, 0);
            for (String service : FakeServices.TABLES.keySet()) {
                service(db, jobId, service, "pending", 0, "{}", 0, false);
            }
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A job in {@code status} with one entry per fake service, which no sweep of the running application
     * takes: a scheduled one is due only in a day, a pending or running one is under another live replica's
     * lease. {@code executeAfter} is set for every status (as a job that was scheduled once keeps it).
     */
    public static void jobIn(UUID jobId, UUID tenant, String status) {
        boolean leased = "pending".equals(status) || "running".equals(status);
        try (Connection db = TestDb.connect()) {
            db.setAutoCommit(false);
            job(db, jobId, tenant, status, leased ? "live-replica" : null, 3600);
            TestDb.update(db, "update deletion_jobs set execute_after = now() + interval '1 day', verified = (status = 'completed'),"
                    + " completed_at = case when status in ('completed', 'failed', 'partially_failed') then now() end where id = ?", jobId);
            String serviceStatus = switch (status) {
                case "completed" -> "completed";
                case "failed", "partially_failed" -> "failed";
                default -> "pending";
            };
            for (String service : FakeServices.TABLES.keySet()) {
                service(db, jobId, service, serviceStatus, 0, "{}", 0, "completed".equals(serviceStatus));
            }
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A single value of a job's row (SQL expression over deletion_jobs), as text. */
    public static String column(UUID jobId, String expression) {
        try (Connection db = TestDb.connect();
                PreparedStatement statement = db.prepareStatement("select (" + expression + ")::text from deletion_jobs where id = ?")) {
            statement.setObject(1, jobId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jobs stored for the tenant. */
    public static long jobsOf(UUID tenant) {
        try (Connection db = TestDb.connect();
                PreparedStatement statement = db.prepareStatement("select count(*) from deletion_jobs where tenant_id = ?")) {
            statement.setObject(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String status(UUID jobId) {
        try (Connection db = TestDb.connect();
                PreparedStatement statement = db.prepareStatement("select status from deletion_jobs where id = ?")) {
            statement.setObject(1, jobId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
