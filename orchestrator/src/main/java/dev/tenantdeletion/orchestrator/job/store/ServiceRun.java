package dev.tenantdeletion.orchestrator.job.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A service run: one service's part of a job, over every run of the job (its status, attempts, calls and what
 * it deleted) — one row of {@code deletion_job_services}, read here through Panache. The same noun names its
 * other shapes: {@link Progress}, the row as the job store reads it for the next run, {@link Result}, what one
 * run of the job came to for the service, and {@code JobView.ServiceRunView}, the row as the API answers it.
 */
@Entity
@Table(name = "deletion_job_services")
public class ServiceRun extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(name = "service", nullable = false)
    public String service;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "attempts", nullable = false)
    public int attempts;

    /** Every HTTP DELETE call, continuation calls included, over every run. */
    @Column(name = "calls", nullable = false)
    public int calls;

    /** The service's preview before its first DELETE of the job; null while unknown. */
    @Column(name = "items_expected")
    public Long itemsExpected;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "deleted_counts", nullable = false)
    public Map<String, Long> deletedCounts;

    /** What the service keeps on purpose, per table, from its verification preview; null while not read. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "retained")
    public Map<String, Object> retained;

    @Column(name = "total_deleted", nullable = false)
    public long totalDeleted;

    @Column(name = "remaining_items")
    public Long remainingItems;

    @Column(name = "verified", nullable = false)
    public boolean verified;

    @Column(name = "duration_ms")
    public Long durationMs;

    @Column(name = "error")
    public String error;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** The stored progress a run of the job resumes from (read by {@link JobStore#services}). */
    public record Progress(String service, ServiceStatus status, Map<String, Long> deletedCounts, int attempts, int calls,
            Long itemsExpected) {

        /** No DELETE was ever sent to the service for this job: its preview now is what it is expected to delete. */
        public boolean neverCalled() {
            return attempts == 0 && calls == 0;
        }
    }

    /**
     * What one service's deletion came to in one run of the job, built by the named factories below; the
     * constructor holds the invariant that makes "completed" mean something: completed ⇔ no error and verified.
     *
     * @param remainingItems rows the verification preview still found, null when no preview was read
     * @param error          why it is not completed; null when completed
     * @param durationMs     wall time of this run for the service: every attempt, wait and the verification
     * @param retained       what the service keeps on purpose ({@code <table>: <rule>}), from its verification
     *                       preview; null when no preview was read
     */
    public record Result(String service, ServiceStatus status, boolean verified, Long remainingItems, String error,
            long durationMs, Map<String, Object> retained) {

        public Result {
            if (service == null || status == null) {
                throw new IllegalArgumentException("a service run's result needs its service and status");
            }
            if ((status == ServiceStatus.COMPLETED) != (error == null && verified)) {
                throw new IllegalArgumentException("a service run is completed exactly when it is verified without an error; "
                        + service + " is " + status.value() + (verified ? ", verified" : ", not verified") + ", error " + error);
            }
            if (!status.isFinal()) {
                throw new IllegalArgumentException("a run's result is final, not " + status.value());
            }
        }

        /** Deleted, and the verification preview read zero rows. */
        public static Result completed(String service, long durationMs, Map<String, Object> retained) {
            return new Result(service, ServiceStatus.COMPLETED, true, 0L, null, durationMs, retained);
        }

        public static Result failed(String service, String error, long durationMs) {
            return new Result(service, ServiceStatus.FAILED, false, null, error, durationMs, null);
        }

        /** The last attempt timed out. */
        public static Result timedOut(String service, String error, long durationMs) {
            return new Result(service, ServiceStatus.TIMED_OUT, false, null, error, durationMs, null);
        }

        /** The DELETE succeeded but the verification preview still shows rows. */
        public static Result notEmpty(String service, long remaining, Map<String, Long> counts, long durationMs) {
            return new Result(service, ServiceStatus.FAILED, false, remaining, "verification failed: the DELETE succeeded but the "
                    + "preview still shows " + remaining + " rows " + counts, durationMs, null);
        }

        /** The verification preview leaves out tables a DELETE answer named (it could hide rows there). */
        public static Result notListed(String service, Set<String> missing, long durationMs) {
            return failed(service, "verification failed: the preview does not list " + missing
                    + ", which the DELETE reported deleting from", durationMs);
        }

        /** The job names a service this replica has no registry entry for: nothing was called. */
        public static Result unregistered(String service) {
            return failed(service, "service " + service + " is no longer registered (deletion.services." + service + ".url)", 0);
        }
    }
}
