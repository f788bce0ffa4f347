package dev.tenantdeletion.orchestrator.job.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A deletion job as stored; written by {@link JobStore}, read through Panache. */
@Entity
@Table(name = "deletion_jobs")
public class DeletionJob extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(name = "tenant_name")
    public String tenantName;

    @Column(name = "reason")
    public String reason;

    /** The sha256 of the manifest.json of the export handed over before this job; null when none was named. */
    @Column(name = "export_sha256")
    public String exportSha256;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "verified", nullable = false)
    public boolean verified;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** When a scheduled job becomes due; null when none was asked for. */
    @Column(name = "execute_after")
    public Instant executeAfter;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    @Column(name = "cancelled_by")
    public String cancelledBy;

    @Column(name = "expedited_by")
    public String expeditedBy;

    @Column(name = "expedited_at")
    public Instant expeditedAt;

    @Column(name = "expedite_reason")
    public String expediteReason;

    /**
     * The services registered when the job was last finished, sorted: for a completed job, the registry it was
     * verified against. Null when it has not been finished since the registry was recorded.
     */
    @Column(name = "registry")
    public String[] registry;

    /** The completed job that had erased the tenant, when this is a re-verification's follow-up job; null otherwise. */
    @Column(name = "follows_job_id")
    public UUID followsJobId;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
}
