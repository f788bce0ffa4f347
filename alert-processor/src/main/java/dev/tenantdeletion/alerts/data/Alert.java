package dev.tenantdeletion.alerts.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "alerts")
public class Alert extends TenantOwnedEntity {

    /** Null for an alert raised by hand, without a rule. */
    @Column(name = "rule_id")
    public UUID ruleId;

    @Column(nullable = false)
    public String title;

    @Column(columnDefinition = "text")
    public String message;

    @Column(nullable = false, length = 20)
    public String severity = "medium";

    @Column(nullable = false, length = 20)
    public String status = "active";

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
