package dev.tenantdeletion.testschemas.suppliers;

import dev.tenantdeletion.deletion.plan.ParentOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "purchase_order_deliveries")
public class PurchaseOrderDelivery extends ParentOwnedEntity {
}
