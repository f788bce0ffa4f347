package dev.tenantdeletion.testschemas.orders;

import dev.tenantdeletion.deletion.plan.ParentOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "order_items")
public class OrderItem extends ParentOwnedEntity {
}
