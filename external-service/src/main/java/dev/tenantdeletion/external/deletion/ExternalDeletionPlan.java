package dev.tenantdeletion.external.deletion;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.external.data.ApiKeyUsage;
import dev.tenantdeletion.external.data.ExternalApiLog;
import dev.tenantdeletion.external.data.ExternalDataCache;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * API logs reference cache entries, so they go first; usages stand alone.
 *
 * <p>Served by deletion-commons' {@code TenantDeletionResource} (the preview and DELETE endpoints under quarkus.rest.path)
 * → {@code DeletionEngine}, which runs this plan; the service module has no REST class of its own.
 */
public class ExternalDeletionPlan {

    @Produces
    @Singleton
    DeletionPlan plan() {
        return DeletionPlan.childrenFirst(ExternalApiLog.class, ApiKeyUsage.class, ExternalDataCache.class);
    }
}
