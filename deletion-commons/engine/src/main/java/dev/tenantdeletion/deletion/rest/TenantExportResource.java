package dev.tenantdeletion.deletion.rest;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import dev.tenantdeletion.deletion.export.TenantExport;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

/** Every service's export of one tenant (contract, third edition): NDJSON, streamed from one snapshot. */
@Path("/tenant/{tenantId}/export")
@Authenticated
@Tag(name = "tenant export", description = "Hand a tenant's data over before it is erased")
@SecurityRequirement(name = "jwt")
public class TenantExportResource {

    public static final String NDJSON = "application/x-ndjson";

    private final TenantExport export;
    private final JsonWebToken token;
    private final String serviceName;

    public TenantExportResource(TenantExport export, JsonWebToken token, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.export = export;
        this.token = token;
        this.serviceName = serviceName;
    }

    @GET
    @Produces(NDJSON)
    @Operation(operationId = "exportTenant", summary = "Every row of the tenant, one JSON line each, then a summary line",
            description = "Service tokens, or the owner of this tenant. Planned tables parents first, then retained tables (marked "
                    + "\"retained\": true), from one snapshot; the last line is {\"summary\": {tenant_id, service, counts, total_rows, "
                    + "sha256}}, sha256 being that of every line before it, newline-terminated. A failure after the first line "
                    + "breaks the connection: an export without its summary line is incomplete.")
    @APIResponse(responseCode = "200", description = "The export, streamed", content = @Content(mediaType = NDJSON,
            // no example: the scanner reads an NDJSON text as one JSON value, which then does not match a string schema
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "invalid_tenant_id", value = ErrorExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "403", description = "Neither a service token nor the tenant's owner", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = ErrorExamples.FORBIDDEN)))
    @APIResponse(responseCode = "500", description = "The database failed before the first line", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "export_failed", value = ApiExamples.EXPORT_FAILED)))
    public Multi<byte[]> export(
            @Parameter(description = "Tenant UUID, canonical form", example = ErrorExamples.TENANT) @PathParam("tenantId") String rawTenantId,
            @Context HttpServerResponse response) {
        UUID tenant = TenantIds.parse(rawTenantId);
        MDC.put("tenant_id", tenant.toString());
        MDC.put("service", serviceName);
        AccessPolicy.requireExport(Caller.of(token), tenant);
        return export.export(tenant).onFailure().transform(failure -> {
            Log.errorf(failure, "export of tenant %s from %s failed", tenant, serviceName);
            if (response.headWritten()) {
                // lines went out already: only a broken connection tells the client the export is incomplete
                response.reset();
            }
            return new ApiException(500, "export_failed", "the export could not be read from the database");
        });
    }
}
