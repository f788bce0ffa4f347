package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity(name = "PartsInvoice")
@Table(name = "invoices")
public class Invoice extends TenantOwnedEntity {
}
