package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity(name = "PartsEvent")
@Table(name = "events")
public class Event extends TenantOwnedEntity {
}
