package dev.tenantdeletion.orchestrator.preview;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** GET /api/v1/tenants/{tenantId}/deletion-preview: who may see a service's preview may see this one. */
@Path("/tenants/{tenantId}/deletion-preview")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class TenantPreviewResource {

    private final PreviewAggregator aggregator;
    private final JsonWebToken token;

    public TenantPreviewResource(PreviewAggregator aggregator, JsonWebToken token) {
        this.aggregator = aggregator;
        this.token = token;
    }

    @GET
    public Uni<AggregatedPreview> preview(@PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        AccessPolicy.requirePreview(Caller.of(token), tenant);
        return aggregator.preview(tenant);
    }
}
