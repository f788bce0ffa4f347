package dev.tenantdeletion.orchestrator.hold.rest;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import dev.tenantdeletion.orchestrator.access.OrchestratorAccess;
import dev.tenantdeletion.orchestrator.hold.store.LegalHoldStore;
import dev.tenantdeletion.orchestrator.job.rest.JobApiExamples;
import dev.tenantdeletion.orchestrator.job.rest.RequestInput;
import dev.tenantdeletion.orchestrator.model.Outcome;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** PUT/GET/DELETE /api/v1/tenants/{tenantId}/legal-hold. */
@Path("/tenants/{tenantId}/legal-hold")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "legal holds", description = "Holds that keep a tenant's data from any deletion while they are in force")
// class-level responses are added to every operation; a method's own 403 replaces the class's
@SecurityRequirement(name = "jwt")
@APIResponse(responseCode = "403", description = "Not a service token with scope deletion:admin (a service token without the scope "
        + "included)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
        examples = {@ExampleObject(name = "not a service token", value = HoldApiExamples.FORBIDDEN),
                @ExampleObject(name = "service token without the scope", value = HoldApiExamples.FORBIDDEN_NO_SCOPE)}))
public class LegalHoldResource {

    private final LegalHoldStore holds;
    private final JsonWebToken token;

    public LegalHoldResource(LegalHoldStore holds, JsonWebToken token) {
        this.holds = holds;
        this.token = token;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "placeLegalHold", summary = "Place (or replace) the tenant's legal hold", description = "Service tokens with scope deletion:admin only (403 without the scope). While the hold is in force "
            + "(no until, or until in the future) new jobs and retries answer 409 legal_hold and a scheduled job that comes due stays "
            + "scheduled (blocked_by: legal_hold). A hold in place is replaced (and kept in the audit record).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlaceHoldRequest.class),
            examples = @ExampleObject(name = "request", value = HoldApiExamples.PLACE)))
    @APIResponse(responseCode = "200", description = "The hold, in force", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LegalHoldView.class), examples = @ExampleObject(name = "200", value = HoldApiExamples.HOLD)))
    @APIResponse(responseCode = "400", description = "Bad tenant id (invalid_tenant_id); reason missing, blank, longer than 1,000 characters or "
            + "with NUL or control characters, until malformed, without a zone or not in the future, an unknown field, a body that is not "
            + "a JSON object (invalid_request)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "invalid_request", value = JobApiExamples.INVALID_REASON),
                            @ExampleObject(name = "invalid_tenant_id", value = ErrorExamples.INVALID_TENANT_ID)}))
    @APIResponse(responseCode = "409", description = "A deletion job of the tenant is pending or running", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = HoldApiExamples.DELETION_IN_PROGRESS)))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "415", value = JobApiExamples.UNSUPPORTED_MEDIA_TYPE)))
    public Uni<LegalHoldView> place(@Parameter(description = "Tenant UUID", example = HoldApiExamples.TENANT_ID) @PathParam("tenantId") String rawTenant,
            PlaceHoldRequest body) {
        UUID tenant = TenantIds.parse(rawTenant);
        Caller caller = Caller.of(token);
        OrchestratorAccess.requirePlaceHold(caller);
        String reason = RequestInput.reason(body == null ? null : body.reason());
        Instant until = body.until() == null ? null : RequestInput.instant("until", body.until());
        if (until != null && !until.isAfter(Instant.now())) {
            throw RequestInput.invalid("until must be in the future (or null: until lifted), is " + until);
        }
        String by = caller.subjectOrUnknown();
        return holds.place(tenant, reason, until, by).map(placed -> {
            if (placed.outcome().kind() == Outcome.Kind.DELETION_IN_PROGRESS) {
                throw new ApiException(409, "deletion_in_progress",
                        "a deletion job of this tenant is pending or running: a hold cannot stop it halfway");
            }
            Log.infof("legal hold placed on tenant %s by %s until %s (reason: %s)", tenant, by, until == null ? "lifted" : until, reason);
            return LegalHoldView.of(placed.hold());
        });
    }

    @GET
    @Operation(operationId = "getLegalHold", summary = "The tenant's legal hold in force", description = "Service tokens; owner/admin users of that tenant.")
    @APIResponse(responseCode = "200", description = "The hold in force", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LegalHoldView.class), examples = @ExampleObject(name = "200", value = HoldApiExamples.HOLD)))
    @APIResponse(responseCode = "400", description = "Bad tenant id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "400", value = ErrorExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "403", description = "Token without the right to this tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = HoldApiExamples.FORBIDDEN_READ)))
    @APIResponse(responseCode = "404", description = "No hold in force (never placed, lifted, or its until has passed)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = HoldApiExamples.NOT_FOUND)))
    public Uni<LegalHoldView> get(@Parameter(description = "Tenant UUID", example = HoldApiExamples.TENANT_ID) @PathParam("tenantId") String rawTenant) {
        UUID tenant = TenantIds.parse(rawTenant);
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireReadHold(caller, tenant);
        return holds.current(tenant).map(hold -> LegalHoldView.of(hold.orElseThrow(LegalHoldResource::notFound)));
    }

    @DELETE
    @Operation(operationId = "liftLegalHold", summary = "Lift the tenant's legal hold", description = "Service tokens with scope deletion:admin only (403 without the scope). The hold stays in the audit record "
            + "(lifted_by, lifted_at); scheduled jobs that came due meanwhile start with the next sweep.")
    @APIResponse(responseCode = "204", description = "Lifted")
    @APIResponse(responseCode = "400", description = "Bad tenant id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "400", value = ErrorExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "404", description = "No hold in place", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = HoldApiExamples.NOT_FOUND)))
    public Uni<Response> lift(@Parameter(description = "Tenant UUID", example = HoldApiExamples.TENANT_ID) @PathParam("tenantId") String rawTenant) {
        UUID tenant = TenantIds.parse(rawTenant);
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireLiftHold(caller);
        String by = caller.subjectOrUnknown();
        return holds.lift(tenant, by).map(lifted -> {
            if (!lifted) {
                throw notFound();
            }
            Log.infof("legal hold on tenant %s lifted by %s", tenant, by);
            return Response.noContent().build();
        });
    }

    private static ApiException notFound() {
        return new ApiException(404, "legal_hold_not_found", "no legal hold of this tenant is in force");
    }
}
