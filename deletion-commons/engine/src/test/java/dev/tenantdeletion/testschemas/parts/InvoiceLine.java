package dev.tenantdeletion.testschemas.parts;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity(name = "PartsInvoiceLine")
@Table(name = "invoice_lines")
public class InvoiceLine extends TenantOwnedEntity {
}
