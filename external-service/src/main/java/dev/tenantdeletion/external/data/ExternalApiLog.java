package dev.tenantdeletion.external.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "external_api_logs")
public class ExternalApiLog extends TenantOwnedEntity {

    @Column(name = "api_name", nullable = false, length = 100)
    public String apiName;

    @Column(nullable = false, length = 500)
    public String endpoint;

    @Column(name = "status_code")
    public Integer statusCode;

    @Column(name = "duration_ms")
    public Integer durationMs;

    /** Null for a call whose answer was not cached. */
    @Column(name = "cache_entry_id")
    public UUID cacheEntryId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
