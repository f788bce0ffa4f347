package dev.tenantdeletion.orchestrator.export.rest;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import dev.tenantdeletion.orchestrator.access.OrchestratorAccess;
import dev.tenantdeletion.orchestrator.export.service.TenantArchive;
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
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

/** GET /api/v1/tenants/{tenantId}/export: every registered service's export of the tenant in one signed ZIP. */
@Path("/tenants/{tenantId}/export")
@Authenticated
@Tag(name = "tenant export", description = "The tenant's data from every registered service, before it is erased")
@SecurityRequirement(name = "jwt")
public class TenantExportResource {

    public static final String ZIP = "application/zip";
    private static final String FORBIDDEN_EXAMPLE = """
            {"error": "forbidden", "message": "exporting tenant data needs a service token or the owner of this tenant"}""";

    private final TenantArchive archive;
    private final JsonWebToken token;

    public TenantExportResource(TenantArchive archive, JsonWebToken token) {
        this.archive = archive;
        this.token = token;
    }

    @GET
    @Produces(ZIP)
    @Operation(operationId = "exportTenant", summary = "The tenant's data from every registered service, as one ZIP",
            description = "Service tokens, or the owner of this tenant. <service>.ndjson per registered service, then manifest.json "
                    + "(tenant_id, created_at, per service: file, counts, total_rows, sha256 of the file) and manifest.jws (the "
                    + "manifest's bytes signed with the certificate key; verify with /api/v1/.well-known/jwks.json). Streamed: a service that "
                    + "fails breaks the download, which then has no manifest and no central directory. The sha256 of manifest.json is "
                    + "what a deletion job's export_sha256 names.")
    @APIResponse(responseCode = "200", description = "The archive, streamed", content = @Content(mediaType = ZIP,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "invalid_tenant_id", value = ErrorExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "403", description = "Neither a service token nor the tenant's owner", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = FORBIDDEN_EXAMPLE)))
    @APIResponse(responseCode = "502", description = "A service failed before the first byte of the archive", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "export_failed",
                    value = "{\"error\": \"export_failed\", \"message\": \"a service's export failed: the archive is not complete\"}")))
    public Multi<byte[]> export(
            @Parameter(description = "Tenant UUID, canonical form", example = ErrorExamples.TENANT) @PathParam("tenantId") String rawTenantId,
            @Context HttpServerResponse response) {
        UUID tenant = TenantIds.parse(rawTenantId);
        MDC.put("tenant_id", tenant.toString());
        OrchestratorAccess.requireExport(Caller.of(token), tenant);
        return archive.archive(tenant).onFailure().transform(failure -> {
            Log.errorf(failure, "export of tenant %s failed", tenant);
            if (response.headWritten()) {
                // part of the archive went out: only a broken connection tells the client it is not complete
                response.reset();
            }
            return new ApiException(502, "export_failed", "a service's export failed: the archive is not complete");
        });
    }
}
