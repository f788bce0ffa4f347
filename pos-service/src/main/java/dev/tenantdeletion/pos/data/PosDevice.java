package dev.tenantdeletion.pos.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "pos_devices")
public class PosDevice extends TenantOwnedEntity {

    @Column(name = "configuration_id", nullable = false)
    public UUID configurationId;

    @Column(name = "device_name", nullable = false)
    public String deviceName;

    @Column(name = "serial_number", length = 100)
    public String serialNumber;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
