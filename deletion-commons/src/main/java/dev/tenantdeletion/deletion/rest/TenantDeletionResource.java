package dev.tenantdeletion.deletion.rest;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.engine.DeletionEngine;
import dev.tenantdeletion.deletion.engine.DeletionOutcome;
import dev.tenantdeletion.deletion.engine.DeletionSettings;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
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
import org.jboss.logging.MDC;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The two endpoints every service exposes under its base path (quarkus.rest.path). */
@Path("/tenant/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "tenant deletion", description = "Preview and delete one tenant's data in this service")
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "RS256 token from the configured issuer; claims type (service|user), role, tenant_id, sub, exp")
@SecurityRequirement(name = "jwt")
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
    @Operation(summary = "Count the tenant's rows, table by table",
            description = "Service tokens, or users with role owner/admin whose tenant_id claim is this tenant.")
    @APIResponse(responseCode = "200", description = "Rows per table (every table, 0 when empty)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PreviewResponse.class),
                    examples = @ExampleObject(name = "preview", value = ApiExamples.PREVIEW)))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "invalid_tenant_id", value = ApiExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "401", description = "Missing or invalid token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "unauthorized", value = ApiExamples.UNAUTHORIZED)))
    @APIResponse(responseCode = "403", description = "Token without the right to preview this tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = ApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "500", description = "The database failed: never an empty or zero preview", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "preview_failed", value = ApiExamples.PREVIEW_FAILED)))
    public Uni<PreviewResponse> preview(
            @Parameter(description = "Tenant UUID, canonical form", example = ApiExamples.TENANT) @PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        tagLogs(tenant);
        AccessPolicy.requirePreview(Caller.of(token), tenant);
        return engine.preview(tenant)
                .onFailure().transform(failure -> new ApiException(500, "preview_failed",
                        "the deletion preview could not be computed: the database did not answer as expected"))
                .map(counts -> new PreviewResponse(tenant.toString(), engine.serviceName(), counts,
                        counts.values().stream().mapToLong(Long::longValue).sum()));
    }

    @DELETE
    @Operation(summary = "Delete every row of the tenant, children first",
            description = "Service tokens only. One transaction (or short batches with deletion.batch-size > 0); idempotent.")
    @APIResponse(responseCode = "200", description = "Deleted (zeros when nothing was left)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeletionResponse.class),
                    examples = @ExampleObject(name = "summary", value = ApiExamples.DELETED)))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "invalid_tenant_id", value = ApiExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "401", description = "Missing or invalid token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "unauthorized", value = ApiExamples.UNAUTHORIZED)))
    @APIResponse(responseCode = "403", description = "Not a service token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = ApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "409", description = "Another tenant's row references this tenant's data; nothing deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "foreign_key_conflict", value = ApiExamples.FOREIGN_KEY_CONFLICT)))
    @APIResponse(responseCode = "500", description = "Deletion failed and was rolled back (batched mode: partial, complete=false)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "deletion_failed", value = ApiExamples.DELETION_FAILED)))
    @APIResponse(responseCode = "503", description = "DELETION_ENABLED=false", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "deletion_disabled", value = ApiExamples.DELETION_DISABLED)))
    public Uni<DeletionResponse> delete(
            @Parameter(description = "Tenant UUID, canonical form", example = ApiExamples.TENANT) @PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        tagLogs(tenant);
        AccessPolicy.requireDelete(Caller.of(token));
        if (!settings.enabled()) {
            throw new ApiException(503, "deletion_disabled", "tenant deletion is disabled (DELETION_ENABLED=false)");
        }
        return engine.delete(tenant).map(this::toResponse);
    }

    /**
     * Every log line of this request carries the tenant and the service. Quarkus keeps the MDC in the
     * request's duplicated Vert.x context, so it follows the Mutiny pipeline across threads.
     */
    private void tagLogs(UUID tenant) {
        MDC.put("tenant_id", tenant.toString());
        MDC.put("service", engine.serviceName());
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
