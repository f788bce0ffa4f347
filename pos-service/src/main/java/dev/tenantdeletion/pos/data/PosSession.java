package dev.tenantdeletion.pos.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "pos_sessions")
public class PosSession extends TenantOwnedEntity {

    @Column(name = "configuration_id", nullable = false)
    public UUID configurationId;

    /** Null for a session opened without a registered device. */
    @Column(name = "device_id")
    public UUID deviceId;

    @Column(nullable = false, length = 20)
    public String status = "open";

    @Column(name = "opened_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime openedAt;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;
}
