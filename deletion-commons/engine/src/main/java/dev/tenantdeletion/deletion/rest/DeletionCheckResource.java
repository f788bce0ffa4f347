package dev.tenantdeletion.deletion.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.engine.DeletionEngine;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

/**
 * The deletion check re-verification asks every service: which of these (erased) tenants hold rows here again. A read,
 * like the preview, so it answers whatever DELETION_ENABLED says.
 */
@Path("/tenants/deletion-check")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "tenant deletion", description = "Preview and delete one tenant's data in this service")
@SecurityRequirement(name = "jwt")
public class DeletionCheckResource {

    private final DeletionEngine engine;
    private final JsonWebToken token;
    private final ObjectMapper json;

    public DeletionCheckResource(DeletionEngine engine, JsonWebToken token, ObjectMapper json) {
        this.engine = engine;
        this.token = token;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "checkTenantsDeleted", summary = "Which of these tenants hold rows, and how many per table",
            description = "Service tokens only. 1–1000 tenant ids; answers only the tenants that hold at least one row in a "
                    + "planned table, each with the counts its preview would answer. One statement for the whole list: one "
                    + "indexed look-up per tenant and table, not a preview each.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeletionCheckRequest.class),
            examples = @ExampleObject(name = "tenants", value = ApiExamples.CHECK_REQUEST)))
    @APIResponse(responseCode = "200", description = "The tenants that hold rows (none: an empty object)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeletionCheckResponse.class),
                    examples = @ExampleObject(name = "one tenant holds rows", value = ApiExamples.CHECKED)))
    @APIResponse(responseCode = "400", description = "Not a JSON object with tenant_ids: 1–1000 canonical UUIDs; nothing is queried",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "invalid_request", value = ApiExamples.CHECK_INVALID_REQUEST)))
    @APIResponse(responseCode = "403", description = "Not a service token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = ApiExamples.CHECK_FORBIDDEN)))
    @APIResponse(responseCode = "500", description = "The database failed: never an empty answer", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
            examples = @ExampleObject(name = "deletion_check_failed", value = ApiExamples.CHECK_FAILED)))
    public Uni<DeletionCheckResponse> check(String body) {
        MDC.put("service", engine.serviceName());
        // who asks is decided before the body is read: a caller without the right learns nothing about its input
        AccessPolicy.requireDeletionCheck(Caller.of(token));
        List<UUID> tenants = DeletionCheckRequest.parse(json, body);
        return engine.check(tenants)
                .onFailure().transform(failure -> new ApiException(500, "deletion_check_failed",
                        "the deletion check could not be computed: the database did not answer as expected"))
                .map(found -> {
                    Map<String, Map<String, Long>> byId = new LinkedHashMap<>();
                    found.forEach((tenant, counts) -> byId.put(tenant.toString(), counts));
                    return new DeletionCheckResponse(engine.serviceName(), byId);
                });
    }
}
