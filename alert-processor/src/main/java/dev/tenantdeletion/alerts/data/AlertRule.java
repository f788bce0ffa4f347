package dev.tenantdeletion.alerts.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "alert_rules")
public class AlertRule extends TenantOwnedEntity {

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String condition = "{}";

    @Column(nullable = false, length = 20)
    public String severity = "medium";

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
