package dev.tenantdeletion.external.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "external_data_cache")
public class ExternalDataCache extends TenantOwnedEntity {

    @Column(nullable = false, length = 100)
    public String source;

    @Column(name = "cache_key", nullable = false)
    public String cacheKey;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String payload = "{}";

    @Column(name = "fetched_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime fetchedAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
}
