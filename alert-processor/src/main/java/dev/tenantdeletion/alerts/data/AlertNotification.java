package dev.tenantdeletion.alerts.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "alert_notifications")
public class AlertNotification extends TenantOwnedEntity {

    @Column(name = "alert_id", nullable = false)
    public UUID alertId;

    @Column(nullable = false, length = 50)
    public String channel;

    @Column
    public String recipient;

    @Column(nullable = false, length = 20)
    public String status = "pending";

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;
}
