package dev.tenantdeletion.orchestrator.reverify.rest;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.orchestrator.reverify.service.ReverificationScheduler;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
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

    /** The scope a service token needs here (third edition). */
    static final String ADMIN_SCOPE = "deletion:admin";

    private final ReverificationScheduler scheduler;
    private final JsonWebToken token;

    public ReverificationResource(ReverificationScheduler scheduler, JsonWebToken token) {
        this.scheduler = scheduler;
        this.token = token;
    }

    @POST
    @Operation(summary = "Re-verify every erased tenant now",
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
        requireAdmin();
        return scheduler.sweepNow().map(ReverificationView::of);
    }

    /**
     * A service token whose {@code scope} (space-separated, or an array) names deletion:admin. The one place this
     * endpoint decides access: the orchestrator's access policy replaces it when it has scopes.
     */
    private void requireAdmin() {
        Object scope = token.getClaim("scope");
        String scopes = scope instanceof JsonString s ? s.getString()
                : scope instanceof JsonArray array ? String.join(" ", array.getValuesAs(JsonString::getString))
                : scope == null ? "" : scope.toString();
        if (!Caller.of(token).service() || !Arrays.asList(scopes.trim().split("\\s+")).contains(ADMIN_SCOPE)) {
            throw AccessPolicy.forbidden("re-verification needs a service token with scope " + ADMIN_SCOPE);
        }
    }
}
