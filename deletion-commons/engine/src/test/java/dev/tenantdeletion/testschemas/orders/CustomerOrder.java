package dev.tenantdeletion.testschemas.orders;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "orders")
public class CustomerOrder extends TenantOwnedEntity {
}
