package dev.tenantdeletion.orchestrator.reverify.rest;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.orchestrator.access.OrchestratorAccess;
import dev.tenantdeletion.orchestrator.reverify.service.ReverificationScheduler;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** POST /api/v1/reverifications: a re-verification sweep now. */
@Path("/reverifications")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "re-verification", description = "Erased tenants checked again against every registered service")
@SecurityRequirement(name = "jwt")
public class ReverificationResource {

    private final ReverificationScheduler scheduler;
    private final JsonWebToken token;

    public ReverificationResource(ReverificationScheduler scheduler, JsonWebToken token) {
        this.scheduler = scheduler;
        this.token = token;
    }

    @POST
    @Operation(operationId = "reverifyErasedTenants", summary = "Re-verify every erased tenant now",
            description = "Service tokens with scope deletion:admin. Checks every erased tenant (whose most recent job is completed) "
                    + "against every registered service with their deletion check, creates a follow-up job for each tenant found "
                    + "with rows (requested_by reverification, follows_job_id, scheduled after deletion.reverify.grace-period) and "
                    + "answers when the sweep has ended. No body.")
    @APIResponse(responseCode = "200", description = "The sweep's summary", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReverificationView.class), examples = @ExampleObject(name = "200", value = ReverificationExamples.SWEEP)))
    @APIResponse(responseCode = "403", description = "Not a service token with scope deletion:admin", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = ReverificationExamples.FORBIDDEN)))
    @APIResponse(responseCode = "409", description = "A sweep is running on this or another replica: ask again when it has ended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "409", value = ReverificationExamples.IN_PROGRESS)))
    @APIResponse(responseCode = "503", description = "No service is registered", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "503", value = ReverificationExamples.NO_SERVICES)))
    public Uni<ReverificationView> sweep() {
        OrchestratorAccess.requireReverify(Caller.of(token));
        return scheduler.sweepNow().map(ReverificationView::of);
    }
}
