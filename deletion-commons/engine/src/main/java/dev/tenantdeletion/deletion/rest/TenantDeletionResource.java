package dev.tenantdeletion.deletion.rest;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.engine.DeletionEngine;
import dev.tenantdeletion.deletion.engine.DeletionFailure;
import dev.tenantdeletion.deletion.engine.DeletionOutcome;
import dev.tenantdeletion.deletion.engine.DeletionRequest;
import dev.tenantdeletion.deletion.engine.DeletionSettings;
import dev.tenantdeletion.deletion.engine.DeletionSummary;
import dev.tenantdeletion.deletion.error.ApiErrors;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The two endpoints every service exposes under its base path (quarkus.rest.path). */
@Path("/tenant/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "tenant deletion", description = "Preview and delete one tenant's data in this service")
// the scheme "jwt" is described once (deletion-base's META-INF/openapi.yaml), its 401 once (UnauthorizedResponses)
@SecurityRequirement(name = "jwt")
public class TenantDeletionResource {

    /** 1–255 visible ASCII characters (the contract's Idempotency-Key). */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern MILLIS = Pattern.compile("[0-9]{1,7}");
    static final long MIN_BUDGET_MS = 100;
    static final long MAX_BUDGET_MS = 600_000;

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
    @Operation(operationId = "previewTenantDeletion", summary = "Count the tenant's rows, table by table",
            description = "Service tokens, or users with role owner/admin whose tenant_id claim is this tenant.")
    @APIResponse(responseCode = "200", description = "Rows per table (every table, 0 when empty)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PreviewResponse.class),
                    examples = @ExampleObject(name = "preview", value = ApiExamples.PREVIEW)))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "invalid_tenant_id", value = ErrorExamples.INVALID_TENANT_ID)))
    @APIResponse(responseCode = "403", description = "Token without the right to preview this tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = ErrorExamples.FORBIDDEN)))
    @APIResponse(responseCode = "500", description = "The database failed: never an empty or zero preview", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "preview_failed", value = ApiExamples.PREVIEW_FAILED)))
    public Uni<PreviewResponse> preview(
            @Parameter(description = "Tenant UUID, canonical form", example = ErrorExamples.TENANT) @PathParam("tenantId") String rawTenantId) {
        UUID tenant = TenantIds.parse(rawTenantId);
        tagLogs(tenant);
        AccessPolicy.requirePreview(Caller.of(token), tenant);
        return engine.preview(tenant)
                .onFailure().transform(failure -> previewFailed())
                .map(counts -> toPreview(tenant, counts));
    }

    @DELETE
    @Operation(operationId = "deleteTenantData", summary = "Delete every row of the tenant, children first",
            description = "Service tokens only. One transaction, or short batches (deletion.batch-size > 0, or a max_duration_ms "
                    + "budget); idempotent. With an Idempotency-Key the counts are the totals of every call made under that key.")
    @APIResponse(responseCode = "200", description = "Deleted (zeros when nothing was left); complete=false: rows remain, call again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeletionResponse.class),
                    examples = {@ExampleObject(name = "summary", value = ApiExamples.DELETED),
                            @ExampleObject(name = "budget spent, rows remain", value = ApiExamples.DELETED_PARTIALLY)}))
    @APIResponse(responseCode = "400", description = "Not a canonical UUID, or a bad max_duration_ms / Idempotency-Key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "invalid_tenant_id", value = ErrorExamples.INVALID_TENANT_ID),
                            @ExampleObject(name = "invalid_parameter", value = ApiExamples.INVALID_PARAMETER)}))
    @APIResponse(responseCode = "403", description = "Not a service token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "forbidden", value = ErrorExamples.FORBIDDEN)))
    @APIResponse(responseCode = "409", description = "A row of another tenant references this tenant's data (checked); nothing of the "
            + "current transaction deleted, summary.deleted_counts holds what earlier committed batches removed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "foreign_key_conflict", value = ApiExamples.FOREIGN_KEY_CONFLICT)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was first used for another tenant; nothing touched",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "idempotency_key_reused", value = ApiExamples.IDEMPOTENCY_KEY_REUSED)))
    @APIResponse(responseCode = "500", description = "Deletion failed and was rolled back (batched: committed batches stay, "
            + "complete=false); retryable", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "deletion_failed", value = ApiExamples.DELETION_FAILED)))
    @APIResponse(responseCode = "503", description = "DELETION_ENABLED=false; the plan does not cover the schema; or the tenant's "
            + "deletion lock was not obtained within deletion.lock-wait (with Retry-After)",
            headers = @Header(name = "Retry-After", description = "deletion_in_progress only: seconds to wait before calling again",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "deletion_disabled", value = ErrorExamples.DELETION_DISABLED),
                            @ExampleObject(name = "coverage_failed", value = ApiExamples.COVERAGE_FAILED),
                            @ExampleObject(name = "deletion_in_progress", value = ErrorExamples.DELETION_IN_PROGRESS)}))
    public Uni<DeletionResponse> delete(
            @Parameter(description = "Tenant UUID, canonical form", example = ErrorExamples.TENANT) @PathParam("tenantId") String rawTenantId,
            @Parameter(description = "Time budget in milliseconds (100–600000; 400 invalid_parameter otherwise): no new batch starts "
                    + "after it; complete=false when rows remain", example = "10000",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "100", maximum = "600000"))
            @QueryParam("max_duration_ms") String rawBudget,
            @Parameter(description = "1–255 visible ASCII characters (400 invalid_parameter otherwise); the orchestrator sends "
                    + "<job_id>:<service>", example = "7d1c2e9a-0b3f-4c5d-8e6f-1a2b3c4d5e6f:pos-service",
                    schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255, pattern = "^[\\x21-\\x7E]+$"))
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context UriInfo uri) {
        UUID tenant = TenantIds.parse(rawTenantId);
        tagLogs(tenant);
        // a bare "?max_duration_ms" (no value) reaches the method as null: it is a bad budget, not none
        Duration budget = parseBudget(rawBudget == null && uri.getQueryParameters().containsKey("max_duration_ms") ? "" : rawBudget);
        DeletionRequest request = new DeletionRequest(tenant, checkedIdempotencyKey(idempotencyKey), budget);
        AccessPolicy.requireDelete(Caller.of(token));
        requireEnabled();
        return engine.delete(request).map(this::toResponse);
    }

    private static String checkedIdempotencyKey(String key) {
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new ApiException(400, "invalid_parameter", "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        return key;
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw ApiErrors.deletionDisabled();
        }
    }

    private static Duration parseBudget(String raw) {
        if (raw == null) {
            return null;
        }
        long millis = MILLIS.matcher(raw).matches() ? Long.parseLong(raw) : -1;
        if (millis < MIN_BUDGET_MS || millis > MAX_BUDGET_MS) {
            throw new ApiException(400, "invalid_parameter", "max_duration_ms must be a whole number of milliseconds from "
                    + MIN_BUDGET_MS + " to " + MAX_BUDGET_MS);
        }
        return Duration.ofMillis(millis);
    }

    /**
     * Every log line of this request carries the tenant and the service. Quarkus keeps the MDC in the
     * request's duplicated Vert.x context, so it follows the Mutiny pipeline across threads.
     */
    private void tagLogs(UUID tenant) {
        MDC.put("tenant_id", tenant.toString());
        MDC.put("service", engine.serviceName());
    }

    private PreviewResponse toPreview(UUID tenant, Map<String, Long> counts) {
        return new PreviewResponse(tenant.toString(), engine.serviceName(), counts, DeletionSummary.total(counts), engine.plan().retained());
    }

    private static ApiException previewFailed() {
        return new ApiException(500, "preview_failed", "the deletion preview could not be computed: the database did not answer as expected");
    }

    private DeletionResponse toResponse(DeletionOutcome outcome) {
        if (outcome.succeeded()) {
            return new DeletionResponse("Tenant data deletion completed in " + engine.serviceName(), outcome.summary());
        }
        DeletionFailure failure = outcome.failure();
        ApiException error = new ApiException(failure.status(), failure.error(), outcome.message(), outcome.summary());
        throw failure == DeletionFailure.DELETION_IN_PROGRESS ? error.retryAfter(settings.lockWait()) : error;
    }
}
