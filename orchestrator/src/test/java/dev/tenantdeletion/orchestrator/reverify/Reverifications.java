package dev.tenantdeletion.orchestrator.reverify;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the re-verification tests share: the admin token, the endpoint, erased tenants written into the store. */
final class Reverifications {

    static final String PATH = "/api/v1/reverifications";

    private Reverifications() {
    }

    static String admin() {
        return TestTokens.adminService("ops-console");
    }

    static Response sweep(String token) {
        return Api.as(token).post(PATH);
    }

    /** An erased tenant: its one job completed and verified by every service; the job's id. */
    static UUID erased(UUID tenant) {
        UUID job = UUID.randomUUID();
        JobRows.jobIn(job, tenant, "completed");
        return job;
    }

    /** The jobs of a tenant, newest first: {id, status, requested_by, follows_job_id}. */
    static List<Map<String, String>> jobsOf(UUID tenant) {
        try (Connection db = TestDb.connect(); PreparedStatement statement = db.prepareStatement("""
                select id::text, status, requested_by, follows_job_id::text from deletion_jobs where tenant_id = ?
                 order by created_at desc, id desc""")) {
            statement.setObject(1, tenant);
            List<Map<String, String>> jobs = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new java.util.HashMap<>(Map.of("id", rs.getString(1), "status", rs.getString(2), "requested_by", rs.getString(3),
                            "follows_job_id", String.valueOf(rs.getString(4)))));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One value (SQL expression) of a service's progress row, as text; null when it has no row. */
    static String progress(String service, String expression) {
        try (Connection db = TestDb.connect(); PreparedStatement statement = db.prepareStatement(
                "select (" + expression + ")::text from reverification_progress where service = ?")) {
            statement.setString(1, service);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A count over the findings (SQL condition). */
    static long findings(String condition) {
        try (Connection db = TestDb.connect(); PreparedStatement statement = db.prepareStatement(
                "select count(*) from reverification_findings where " + condition)) {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of a sample of /q/metrics: metric {@code name}, its labels containing {@code label} (may be ""); -1 when absent. */
    static double metric(String name, String label) {
        String text = Api.as(null).accept("text/plain").get("/q/metrics").asString();
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return -1;
    }

    /** Tenant ids in the database's order (uuid compares byte by byte, unsigned). */
    static int compare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
