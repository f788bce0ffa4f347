package dev.tenantdeletion.pos.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "pos_transactions")
public class PosTransaction extends TenantOwnedEntity {

    @Column(name = "session_id", nullable = false)
    public UUID sessionId;

    @Column(name = "configuration_id", nullable = false)
    public UUID configurationId;

    @Column(name = "external_id")
    public String externalId;

    @Column(nullable = false, precision = 12, scale = 2)
    public BigDecimal amount;

    @Column(nullable = false, length = 3)
    public String currency = "EUR";

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
