package dev.tenantdeletion.deletion.health;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.error.ErrorBody;
import io.quarkus.security.Authenticated;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The health checks with their details, for operators: what {@code /q/health} answers unauthenticated plus each check's
 * {@code data} (the coverage problems naming tables and constraints, the foreign-key mode, the database's error text,
 * the registry's services), which {@link PublicHealthFilter} keeps from the public endpoints. Service tokens only.
 */
@Path("/health-details")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "operations", description = "For operators")
@SecurityRequirement(name = "jwt")
public class HealthDetailsResource {

    static final String EXAMPLE = """
            {"status": "DOWN", "checks": [{"name": "deletion-plan-coverage", "status": "DOWN",
             "data": {"fk-checks": "fast", "tables": "pos_transactions,pos_sessions,pos_devices,pos_configurations",
                      "problem1": "table pos_refunds has a tenant_id column but is not in the deletion plan"}}]}""";
    static final String FORBIDDEN = """
            {"error": "forbidden", "message": "the health details need a service token"}""";

    private final SmallRyeHealthReporter health;
    private final JsonWebToken token;

    public HealthDetailsResource(SmallRyeHealthReporter health, JsonWebToken token) {
        this.health = health;
        this.token = token;
    }

    @GET
    @Operation(operationId = "healthDetails", summary = "Every health check (liveness, readiness, startup) with its details",
            description = "Service tokens only. The same checks as /q/health, with each check's data; 200 whether UP or DOWN "
                    + "(the status is in the body; the probes keep using /q/health/ready and /q/health/live).")
    @APIResponse(responseCode = "200", description = "The checks, their status and data", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "coverage failed", value = EXAMPLE)))
    @APIResponse(responseCode = "403", description = "Not a service token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = FORBIDDEN)))
    public Uni<String> details() {
        AccessPolicy.requireHealthDetails(Caller.of(token));
        return health.getHealthAsync().map(answer -> answer.getPayload().toString());
    }
}
