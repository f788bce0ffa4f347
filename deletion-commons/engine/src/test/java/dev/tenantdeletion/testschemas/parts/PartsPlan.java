package dev.tenantdeletion.testschemas.parts;

import static dev.tenantdeletion.deletion.plan.PlannedTable.of;
import static dev.tenantdeletion.deletion.plan.PlannedTable.through;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Partitioned tables: invoice lines (RANGE partitions, a tenant_id of their own) reached through invoices (HASH
 * partitions), events (LIST partitions by tenant_id, a tenant's own partition erased whole), accounts.
 */
@IfBuildProperty(name = "deletion-test.schema", stringValue = "parts")
public class PartsPlan {

    public static DeletionPlan plan() {
        return DeletionPlan.childrenFirst(
                through(InvoiceLine.class, "invoice_id", Invoice.class),
                of(Invoice.class),
                of(Event.class),
                of(Account.class));
    }

    @Produces
    @Singleton
    DeletionPlan produce() {
        return plan();
    }
}
