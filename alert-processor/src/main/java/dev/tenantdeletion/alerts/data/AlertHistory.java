package dev.tenantdeletion.alerts.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "alert_history")
public class AlertHistory extends TenantOwnedEntity {

    @Column(name = "alert_id", nullable = false)
    public UUID alertId;

    @Column(name = "old_status", length = 20)
    public String oldStatus;

    @Column(name = "new_status", nullable = false, length = 20)
    public String newStatus;

    @Column(name = "changed_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime changedAt;
}
