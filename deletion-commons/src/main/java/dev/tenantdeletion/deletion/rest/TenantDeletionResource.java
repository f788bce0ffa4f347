package dev.tenantdeletion.deletion.rest;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.engine.DeletionEngine;
import dev.tenantdeletion.deletion.engine.DeletionOutcome;
import dev.tenantdeletion.deletion.engine.DeletionSettings;
import dev.tenantdeletion.deletion.error.ApiException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The two endpoints every service exposes under its base path (quarkus.rest.path). */
@Path("/tenant/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@IfBuildProperty(name = "deletion.engine.enabled", stringValue = "true", enableIfMissing = true)
public class TenantDeletionResource {

    private final DeletionEngine engine;
    private final DeletionSettings settings;
    private final JsonWebToken token;

    public TenantDeletionResource(DeletionEngine engine, DeletionSettings settings, JsonWebToken token) {
        this.engine = engine;
        this.settings = settings;
        this.token = token;
    }

    @GET
    @Path("/deletion-preview")
    public Uni<PreviewResponse> preview(@PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        AccessPolicy.requirePreview(Caller.of(token), tenant);
        return engine.preview(tenant)
                .onFailure().transform(failure -> new ApiException(500, "preview_failed",
                        "the deletion preview could not be computed: the database did not answer as expected"))
                .map(counts -> new PreviewResponse(tenant.toString(), engine.serviceName(), counts,
                        counts.values().stream().mapToLong(Long::longValue).sum()));
    }

    @DELETE
    public Uni<DeletionResponse> delete(@PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        AccessPolicy.requireDelete(Caller.of(token));
        if (!settings.enabled()) {
            throw new ApiException(503, "deletion_disabled", "tenant deletion is disabled (DELETION_ENABLED=false)");
        }
        return engine.delete(tenant).map(this::toResponse);
    }

    private DeletionResponse toResponse(DeletionOutcome outcome) {
        String service = engine.serviceName();
        if (outcome.succeeded()) {
            return new DeletionResponse("Tenant data deletion completed in " + service, outcome.summary());
        }
        String message = String.join("; ", outcome.summary().errors());
        if (DeletionOutcome.FOREIGN_KEY_CONFLICT.equals(outcome.failureKind())) {
            throw new ApiException(409, "foreign_key_conflict", message, outcome.summary());
        }
        throw new ApiException(500, "deletion_failed", message, outcome.summary());
    }
}
