package dev.tenantdeletion.pos.deletion;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.pos.data.PosConfiguration;
import dev.tenantdeletion.pos.data.PosDevice;
import dev.tenantdeletion.pos.data.PosSession;
import dev.tenantdeletion.pos.data.PosTransaction;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * POS data goes children first: transactions, sessions, devices, then configurations.
 *
 * <p>Served by deletion-commons' {@code TenantDeletionResource} (the preview and DELETE endpoints under quarkus.rest.path)
 * → {@code DeletionEngine}, which runs this plan; the service module has no REST class of its own.
 */
public class PosDeletionPlan {

    @Produces
    @Singleton
    DeletionPlan plan() {
        return DeletionPlan.childrenFirst(PosTransaction.class, PosSession.class, PosDevice.class, PosConfiguration.class);
    }
}
