package dev.tenantdeletion.orchestrator.job.rest;

import static dev.tenantdeletion.orchestrator.job.rest.RequestInput.invalid;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.access.Uuids;
import dev.tenantdeletion.deletion.error.ApiErrors;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.deletion.error.ErrorExamples;
import dev.tenantdeletion.orchestrator.certificate.CertificateApiExamples;
import dev.tenantdeletion.orchestrator.certificate.CertificateService;
import dev.tenantdeletion.orchestrator.job.service.JobAccess;
import dev.tenantdeletion.orchestrator.job.service.JobService;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.NewJob;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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

/**
 * POST/GET /api/v1/deletion-jobs, GET /api/v1/deletion-jobs/{jobId}, POST /api/v1/deletion-jobs/{jobId}/retry,
 * /cancel and /execute-now.
 */
@Path("/deletion-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "deletion jobs", description = "Durable tenant deletion jobs across every registered service")
// the scheme "jwt" is described once (deletion-base's META-INF/openapi.yaml), its 401 once (UnauthorizedResponses); the
// class-level 403 is added to every operation, a method's own 403 replaces the class's
@SecurityRequirement(name = "jwt")
@APIResponse(responseCode = "403", description = "Token without the right to this operation or tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
        schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
public class DeletionJobResource {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_NAME = 255;
    private static final int MAX_REASON = 2000;

    private final JobService jobs;
    private final CertificateService certificates;
    private final JsonWebToken token;
    private final String basePath;

    public DeletionJobResource(JobService jobs, CertificateService certificates, JsonWebToken token,
            @ConfigProperty(name = "quarkus.rest.path") String basePath) {
        this.jobs = jobs;
        this.certificates = certificates;
        this.token = token;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a deletion job for a tenant",
            description = "Service tokens, or a user with role owner of that tenant. Every registered service is called in parallel.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreateJobRequest.class),
            examples = {@ExampleObject(name = "at once", value = JobApiExamples.CREATE),
                    @ExampleObject(name = "with a grace period", value = JobApiExamples.CREATE_WITH_GRACE_PERIOD)}))
    @APIResponse(responseCode = "202", description = "Job created (Location: /api/v1/deletion-jobs/{job_id}): pending, or scheduled with its execute_after",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class),
                    examples = {@ExampleObject(name = "pending", value = JobApiExamples.PENDING_JOB),
                            @ExampleObject(name = "scheduled", value = JobApiExamples.SCHEDULED_JOB)}))
    @APIResponse(responseCode = "200", description = "A job for this tenant is already scheduled, pending or running: that job", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.SCHEDULED_JOB)))
    @APIResponse(responseCode = "400", description = "tenant_id missing or not a UUID (invalid_tenant_id); grace_period or execute_after malformed, "
            + "out of range or both given, an unknown field (invalid_request); the body is not valid JSON (invalid_json)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "invalid_request", value = JobApiExamples.INVALID_REQUEST),
                            @ExampleObject(name = "invalid_grace_period", value = JobApiExamples.INVALID_GRACE_PERIOD)}))
    @APIResponse(responseCode = "409", description = "A legal hold of the tenant is in force: no job is created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = JobApiExamples.LEGAL_HOLD)))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "415", value = JobApiExamples.UNSUPPORTED_MEDIA_TYPE)))
    @APIResponse(responseCode = "503", description = "DELETION_ENABLED=false (deletion_disabled), or no service is registered (no_services_registered)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "deletion_disabled", value = ErrorExamples.DELETION_DISABLED),
                            @ExampleObject(name = "no_services_registered", value = JobApiExamples.NO_SERVICES_REGISTERED)}))
    public Uni<Response> create(CreateJobRequest body) {
        JobInput input = parse(body);
        Caller caller = Caller.of(token);
        JobAccess.requireCreate(caller, input.tenant());
        return jobs.submit(new NewJob(input.tenant(), input.tenantName(), input.reason(), subject(caller), input.executeAfter(), input.grace()))
                .map(submitted -> withLocation(submitted.created() ? 202 : 200, submitted.job()));
    }

    /** A create request's fields, checked (400 invalid_request / invalid_tenant_id). */
    private record JobInput(UUID tenant, String tenantName, String reason, Instant executeAfter, Duration grace) {
    }

    private static JobInput parse(CreateJobRequest body) {
        if (body == null) {
            throw invalid("a JSON body {\"tenant_id\": \"...\", \"tenant_name\": \"...\", \"reason\": \"...\"} is required");
        }
        if (body.tenantId() == null) {
            throw invalid("tenant_id is required");
        }
        UUID tenant = TenantIds.parse(body.tenantId());
        if (body.tenantName() != null && body.tenantName().length() > MAX_NAME) {
            throw invalid("tenant_name is longer than " + MAX_NAME + " characters");
        }
        if (body.reason() != null && body.reason().length() > MAX_REASON) {
            throw invalid("reason is longer than " + MAX_REASON + " characters");
        }
        if (body.gracePeriod() != null && body.executeAfter() != null) {
            throw invalid("give grace_period or execute_after, not both");
        }
        Duration grace = body.gracePeriod() == null ? null : RequestInput.gracePeriod(body.gracePeriod());
        Instant executeAfter = body.executeAfter() == null ? null : RequestInput.instant("execute_after", body.executeAfter());
        if (executeAfter != null && executeAfter.isAfter(Instant.now().plus(JobService.MAX_GRACE_PERIOD))) {
            throw invalid("execute_after must be at most P90D ahead, is " + executeAfter);
        }
        return new JobInput(tenant, body.tenantName(), body.reason(), executeAfter, grace);
    }

    @GET
    @Path("/{jobId}")
    @Operation(summary = "One deletion job", description = "Service tokens; owner/admin users of the job's tenant.")
    @APIResponse(responseCode = "200", description = "The job with its per-service results", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.JOB)))
    @APIResponse(responseCode = "404", description = "No job with this id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = JobApiExamples.JOB_NOT_FOUND)))
    public Uni<JobView> get(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        Caller caller = Caller.of(token);
        JobAccess.requireSomeRead(caller);
        return jobs.get(jobId(rawJobId))
                .invoke(record -> JobAccess.requireRead(caller, record.job().tenantId))
                .map(JobView::of);
    }

    @GET
    @Operation(summary = "Deletion jobs, newest first, paged",
            description = "Service tokens; owner/admin users for their own tenant (without tenant_id: their tenant's jobs).")
    @APIResponse(responseCode = "200", description = "A page of jobs", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobListView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.LIST)))
    @APIResponse(responseCode = "400", description = "Bad tenant_id, status or paging", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "400", value = JobApiExamples.INVALID_PAGING)))
    public Uni<JobListView> list(@QueryParam("tenant_id") String rawTenant, @QueryParam("status") String rawStatus,
            @QueryParam("page") String rawPage, @QueryParam("size") String rawSize) {
        UUID requested = rawTenant == null || rawTenant.isEmpty() ? null : TenantIds.parse(rawTenant);
        JobStatus status = rawStatus == null || rawStatus.isEmpty() ? null : status(rawStatus);
        int page = number(rawPage, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = number(rawSize, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        UUID tenant = JobAccess.listScope(Caller.of(token), requested);
        return jobs.list(tenant, status, page, size)
                .map(result -> new JobListView(result.items().stream().map(JobView::of).toList(), page, size, result.total()));
    }

    @POST
    @Path("/{jobId}/retry")
    @Operation(summary = "Re-run the services of a job that did not complete", description = "Service tokens only.")
    @APIResponse(responseCode = "202", description = "The job, its failed services pending again", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "202", value = JobApiExamples.JOB)))
    @APIResponse(responseCode = "404", description = "No job with this id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = JobApiExamples.JOB_NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The job is completed, scheduled, pending, running or cancelled (job_not_retryable), "
            + "or a legal hold of its tenant is in force (legal_hold)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = {@ExampleObject(name = "job_not_retryable", value = JobApiExamples.JOB_NOT_RETRYABLE),
                    @ExampleObject(name = "legal_hold", value = JobApiExamples.LEGAL_HOLD)}))
    @APIResponse(responseCode = "503", description = "DELETION_ENABLED=false (deletion_disabled), or no service is registered (no_services_registered)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "deletion_disabled", value = ErrorExamples.DELETION_DISABLED),
                            @ExampleObject(name = "no_services_registered", value = JobApiExamples.NO_SERVICES_REGISTERED)}))
    public Uni<Response> retry(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        JobAccess.requireRetry(Caller.of(token));
        return jobs.retry(jobId(rawJobId)).map(record -> withLocation(202, record));
    }

    @POST
    @Path("/{jobId}/cancel")
    @Operation(summary = "Cancel a scheduled job", description = "Service tokens, or the owner of the job's tenant. Only a scheduled job "
            + "can be cancelled (nothing has been deleted yet); it becomes cancelled, with cancelled_at and cancelled_by (the token's sub).")
    @APIResponse(responseCode = "200", description = "The job, now cancelled", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.CANCELLED_JOB)))
    @APIResponse(responseCode = "403", description = "Neither a service token nor the owner of the job's tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "No job with this id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = JobApiExamples.JOB_NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The job is not scheduled", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = JobApiExamples.JOB_NOT_CANCELLABLE)))
    public Uni<JobView> cancel(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        Caller caller = Caller.of(token);
        JobAccess.requireSomeCancel(caller);
        UUID jobId = jobId(rawJobId);
        return jobs.get(jobId)
                .invoke(record -> JobAccess.requireCancel(caller, record.job().tenantId))
                .chain(() -> jobs.cancel(jobId, subject(caller)))
                .map(JobView::of);
    }

    @POST
    @Path("/{jobId}/execute-now")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a scheduled job now, before its execute_after", description = "Service tokens only. The job becomes pending "
            + "and starts at once; expedited_by (the token's sub) and the reason are kept with it. Refused while a legal hold is in force.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecuteNowRequest.class),
            examples = @ExampleObject(name = "request", value = JobApiExamples.EXECUTE_NOW)))
    @APIResponse(responseCode = "202", description = "The job, now pending (Location: /api/v1/deletion-jobs/{job_id})", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "202", value = JobApiExamples.EXPEDITED_JOB)))
    @APIResponse(responseCode = "400", description = "reason missing, blank, longer than 1,000 characters or with NUL; unknown fields; not JSON",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "400", value = JobApiExamples.INVALID_REASON)))
    @APIResponse(responseCode = "403", description = "Not a service token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "No job with this id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = JobApiExamples.JOB_NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The job is not scheduled (job_not_scheduled), or a legal hold of its tenant is in force (legal_hold)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "job_not_scheduled", value = JobApiExamples.JOB_NOT_SCHEDULED),
                            @ExampleObject(name = "legal_hold", value = JobApiExamples.LEGAL_HOLD)}))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "415", value = JobApiExamples.UNSUPPORTED_MEDIA_TYPE)))
    @APIResponse(responseCode = "503", description = "DELETION_ENABLED=false (deletion_disabled), or no service is registered (no_services_registered)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "deletion_disabled", value = ErrorExamples.DELETION_DISABLED),
                            @ExampleObject(name = "no_services_registered", value = JobApiExamples.NO_SERVICES_REGISTERED)}))
    public Uni<Response> executeNow(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId,
            ExecuteNowRequest body) {
        Caller caller = Caller.of(token);
        JobAccess.requireExecuteNow(caller);
        String reason = RequestInput.reason(body == null ? null : body.reason());
        return jobs.executeNow(jobId(rawJobId), subject(caller), reason)
                .map(record -> withLocation(202, record));
    }

    @GET
    @Path("/{jobId}/certificate")
    @Operation(summary = "The deletion certificate of a completed, verified job", description = "Who may read the job. A JWS (RS256, "
            + "the orchestrator's signing key, header kid) over the job's tenant, who asked and why, when, and per service what was "
            + "deleted, when it was verified empty and what it retains on purpose; check it with GET /api/v1/.well-known/jwks.json.")
    @APIResponse(responseCode = "200", description = "The certificate (JWS compact serialization) and its claims", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CertificateView.class), examples = @ExampleObject(name = "200", value = CertificateApiExamples.CERTIFICATE)))
    @APIResponse(responseCode = "403", description = "Token without the right to read this job", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "No job with this id", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "404", value = JobApiExamples.JOB_NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The job is not completed and verified, or the registry now names a service it never verified", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = CertificateApiExamples.NOT_CERTIFIABLE)))
    public Uni<CertificateView> certificate(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        Caller caller = Caller.of(token);
        JobAccess.requireSomeRead(caller);
        return jobs.get(jobId(rawJobId))
                .invoke(record -> JobAccess.requireRead(caller, record.job().tenantId))
                .map(certificates::certify)
                .map(certificate -> new CertificateView(certificate.certificate(), certificate.claims()));
    }

    /** A certificate as answered. */
    @Schema(description = "A deletion certificate: the JWS and, for convenience, its claims (iss, sub, tenant_id, jti, job_id, iat, "
            + "requested_by, reason, created_at, completed_at, total_items_deleted, services[service, deleted_counts, total_deleted, "
            + "verified_at, retained], registry)")
    public record CertificateView(@Schema(description = "JWS compact serialization, RS256, header kid") String certificate,
            java.util.Map<String, Object> claims) {
    }

    /** The job as answered with {@code status} and its {@code Location}. */
    private Response withLocation(int status, JobRecord record) {
        return Response.status(status).header("Location", basePath + "/deletion-jobs/" + record.job().id).entity(JobView.of(record)).build();
    }

    /** A job id that is not a UUID names no job: 404 like any unknown id. */
    private static UUID jobId(String raw) {
        return Uuids.canonical(raw).orElseThrow(ApiErrors::jobNotFound);
    }

    /** Who asked, as recorded with the job ("unknown" for a token without sub). */
    private static String subject(Caller caller) {
        return caller.subject() == null ? "unknown" : caller.subject();
    }

    private static JobStatus status(String raw) {
        return JobStatus.parse(raw).orElseThrow(() -> new ApiException(400, "invalid_status", "status must be one of "
                + Arrays.stream(JobStatus.values()).map(JobStatus::value).collect(Collectors.joining(", "))));
    }

    private static int number(String raw, String name, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "invalid_paging", name + " must be an integer from " + min + " to " + max);
    }

}
