package dev.tenantdeletion.orchestrator.preview;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import dev.tenantdeletion.orchestrator.access.OrchestratorAccess;
import dev.tenantdeletion.orchestrator.job.rest.JobApiExamples;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
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
@Tag(name = "deletion preview", description = "Aggregated preview across every registered service")
@SecurityRequirement(name = "jwt")
@APIResponse(responseCode = "403", description = "Token without the right to preview this tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
        schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = TenantPreviewResource.FORBIDDEN_EXAMPLE)))
public class TenantPreviewResource {

    private static final String PREVIEW_EXAMPLE = """
            {"tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
             "services": {"pos-service": {"data_counts": {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1},
                                          "total_items": 127}},
             "total_items": 127, "unavailable": ["alert-processor"]}""";

    static final String FORBIDDEN_EXAMPLE = """
            {"error": "forbidden", "message": "preview needs a service token or an owner/admin of this tenant"}""";

    private final PreviewAggregator aggregator;
    private final JsonWebToken token;

    public TenantPreviewResource(PreviewAggregator aggregator, JsonWebToken token) {
        this.aggregator = aggregator;
        this.token = token;
    }

    @GET
    @Operation(operationId = "previewTenantDeletion", summary = "What every registered service holds for the tenant",
            description = "Service tokens; owner/admin users of that tenant. A service that fails or times out is listed in unavailable, not counted as zero.")
    @APIResponse(responseCode = "200", description = "Counts per service", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AggregatedPreview.class), examples = @ExampleObject(name = "200", value = PREVIEW_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "400", value = ErrorExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "503", description = "No service is registered: the orchestrator is not ready and previews nothing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "no_services_registered", value = JobApiExamples.NO_SERVICES_REGISTERED)))
    public Uni<AggregatedPreview> preview(
            @Parameter(description = "Tenant UUID, canonical form", example = ErrorExamples.TENANT) @PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        OrchestratorAccess.requirePreview(Caller.of(token), tenant);
        return aggregator.preview(tenant);
    }
}
