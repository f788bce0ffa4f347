package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity(name = "PartsAccount")
@Table(name = "accounts")
public class Account extends TenantOwnedEntity {
}
