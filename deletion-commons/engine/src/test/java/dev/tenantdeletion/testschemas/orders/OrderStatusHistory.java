package dev.tenantdeletion.testschemas.orders;

import dev.tenantdeletion.deletion.plan.ParentOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "order_status_history")
public class OrderStatusHistory extends ParentOwnedEntity {
}
