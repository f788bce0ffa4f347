package dev.tenantdeletion.testschemas.suppliers;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "supplier_categories")
public class SupplierCategory extends TenantOwnedEntity {
}
