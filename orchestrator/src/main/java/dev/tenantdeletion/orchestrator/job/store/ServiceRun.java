package dev.tenantdeletion.orchestrator.job.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A service run: one service's share of a job, across every claim (its status, attempts, calls and what it
 * deleted) — one row of {@code deletion_job_services}, read here through Panache. Its other shapes:
 * {@code model.ServiceProgress}, the row as the next claim resumes it, {@code model.ServiceResult}, what one
 * claim came to for the service, and {@code JobView.ServiceRunView}, the row as the API answers it.
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

    /** Every HTTP DELETE call, continuation calls included, across every claim. */
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
}
