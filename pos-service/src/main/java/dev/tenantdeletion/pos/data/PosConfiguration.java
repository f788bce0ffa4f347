package dev.tenantdeletion.pos.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "pos_configurations")
public class PosConfiguration extends TenantOwnedEntity {

    @Column(nullable = false, length = 50)
    public String provider;

    @Column(nullable = false)
    public String name;

    @Column(name = "is_active", nullable = false)
    public boolean active = true;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
