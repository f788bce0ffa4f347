package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.access.Uuids;
import dev.tenantdeletion.deletion.error.ApiErrors;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.orchestrator.access.OrchestratorAccess;
import dev.tenantdeletion.orchestrator.job.service.JobService;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.NewJob;
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
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
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
 * /cancel and /execute-now (the certificate: {@link JobCertificateResource}).
 */
@Path("/deletion-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = DeletionJobResource.TAG, description = DeletionJobResource.TAG_DESCRIPTION)
// the scheme "jwt" is described once (deletion-base's META-INF/openapi.yaml), its 401 once (UnauthorizedResponses), the
// 404/415/503 the operations share once (JobApiResponses); the class-level 403 is added to every operation, a method's
// own 403 replaces the class's
@SecurityRequirement(name = "jwt")
@APIResponse(responseCode = "403", description = "Token without the right to this operation or tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
        schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
public class DeletionJobResource {

    static final String TAG = "deletion jobs";
    static final String LOCATION = "Location";
    static final String LOCATION_DESCRIPTION = "The job's own URL, /api/v1/deletion-jobs/{job_id}";
    static final String TAG_DESCRIPTION = "Durable tenant deletion jobs across every registered service";

    private final JobService jobs;
    private final JsonWebToken token;
    private final String basePath;

    public DeletionJobResource(JobService jobs, JsonWebToken token,
            @ConfigProperty(name = "quarkus.rest.path") String basePath) {
        this.jobs = jobs;
        this.token = token;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createDeletionJob", summary = "Start a deletion job for a tenant",
            description = "Service tokens, or a user with role owner of that tenant. Every registered service is called in parallel.",
            extensions = @Extension(name = JobApiResponses.STARTS_A_DELETION, value = "true"))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreateJobRequest.class),
            examples = {@ExampleObject(name = "at once", value = JobApiExamples.CREATE),
                    @ExampleObject(name = "with a grace period", value = JobApiExamples.CREATE_WITH_GRACE_PERIOD)}))
    @APIResponse(responseCode = "202", description = "Job created (Location: /api/v1/deletion-jobs/{job_id}): pending, or scheduled with its execute_after",
            headers = @Header(name = LOCATION, description = LOCATION_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class),
                    examples = {@ExampleObject(name = "pending", value = JobApiExamples.PENDING_JOB),
                            @ExampleObject(name = "scheduled", value = JobApiExamples.SCHEDULED_JOB)}))
    @APIResponse(responseCode = "200", description = "A job for this tenant is already scheduled, pending or running: that job",
            headers = @Header(name = LOCATION, description = LOCATION_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.SCHEDULED_JOB)))
    @APIResponse(responseCode = "400", description = "tenant_id missing or not a UUID (invalid_tenant_id); tenant_name or reason too long or with NUL or "
            + "control characters, grace_period or execute_after malformed, out of range or both given, an unknown field, a body that "
            + "is not a JSON object (invalid_request)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "invalid_request", value = JobApiExamples.INVALID_REQUEST),
                            @ExampleObject(name = "invalid_grace_period", value = JobApiExamples.INVALID_GRACE_PERIOD)}))
    @APIResponse(responseCode = "409", description = "A legal hold of the tenant is in force: no job is created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = JobApiExamples.LEGAL_HOLD)))
    public Uni<Response> create(CreateJobRequest body) {
        JobInput input = JobInput.parse(body);
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireCreate(caller, input.tenant());
        return jobs.submit(new NewJob(input.tenant(), input.tenantName(), input.reason(), caller.subjectOrUnknown(), input.executeAfter(), input.grace(),
                input.exportSha256()))
                .map(submitted -> withLocation(submitted.created() ? 202 : 200, submitted.job()));
    }

    @GET
    @Path("/{jobId}")
    @Operation(operationId = "getDeletionJob", summary = "One deletion job", description = "Service tokens; owner/admin users of the job's tenant.")
    @APIResponse(responseCode = "200", description = "The job with its per-service results", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.JOB)))
    public Uni<JobView> get(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireSomeRead(caller);
        return jobs.get(jobId(rawJobId))
                .invoke(record -> OrchestratorAccess.requireRead(caller, record.job().tenantId))
                .map(JobView::of);
    }

    @GET
    @Operation(operationId = "listDeletionJobs", summary = "Deletion jobs, newest first, paged",
            description = "Service tokens; owner/admin users for their own tenant (without tenant_id: their tenant's jobs).")
    @APIResponse(responseCode = "200", description = "A page of jobs", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobListView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.LIST)))
    @APIResponse(responseCode = "400", description = "Bad tenant_id, status or paging", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "400", value = JobApiExamples.INVALID_PAGING)))
    public Uni<JobListView> list(
            @Parameter(description = "Only this tenant's jobs (canonical UUID; 400 invalid_tenant_id otherwise). A user without it "
                    + "sees their own tenant's", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @QueryParam("tenant_id") String rawTenant,
            @Parameter(description = "Only jobs in this status (400 invalid_status otherwise)", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"scheduled", "pending", "running", "completed", "partially_failed", "failed", "cancelled"}))
            @QueryParam("status") String rawStatus,
            @Parameter(description = "Page number, from 0 (400 invalid_paging otherwise)", schema = @Schema(type = SchemaType.INTEGER,
                    format = "int32", minimum = "0", maximum = "21474836", defaultValue = "0")) @QueryParam("page") String rawPage,
            @Parameter(description = "Jobs per page, 1–100 (400 invalid_paging otherwise)", schema = @Schema(type = SchemaType.INTEGER,
                    format = "int32", minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String rawSize) {
        JobListQuery query = JobListQuery.parse(rawTenant, rawStatus, rawPage, rawSize);
        UUID tenant = OrchestratorAccess.listScope(Caller.of(token), query.tenant());
        return jobs.list(tenant, query.status(), query.page(), query.size())
                .map(result -> new JobListView(result.items().stream().map(JobView::of).toList(), query.page(), query.size(),
                        result.total()));
    }

    @POST
    @Path("/{jobId}/retry")
    @Operation(operationId = "retryDeletionJob", summary = "Re-run the services of a job that did not complete", description = "Service tokens only.",
            extensions = @Extension(name = JobApiResponses.STARTS_A_DELETION, value = "true"))
    @APIResponse(responseCode = "202", description = "The job, its failed services pending again",
            headers = @Header(name = LOCATION, description = LOCATION_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "202", value = JobApiExamples.JOB)))
    @APIResponse(responseCode = "409", description = "The job is completed, scheduled, pending, running or cancelled (job_not_retryable), "
            + "or a legal hold of its tenant is in force (legal_hold)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = {@ExampleObject(name = "job_not_retryable", value = JobApiExamples.JOB_NOT_RETRYABLE),
                    @ExampleObject(name = "legal_hold", value = JobApiExamples.LEGAL_HOLD)}))
    public Uni<Response> retry(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        OrchestratorAccess.requireRetry(Caller.of(token));
        return jobs.retry(jobId(rawJobId)).map(record -> withLocation(202, record));
    }

    @POST
    @Path("/{jobId}/cancel")
    @Operation(operationId = "cancelDeletionJob", summary = "Cancel a scheduled job", description = "Service tokens, or the owner of the job's tenant. Only a scheduled job "
            + "can be cancelled (nothing has been deleted yet); it becomes cancelled, with cancelled_at and cancelled_by (the token's sub).")
    @APIResponse(responseCode = "200", description = "The job, now cancelled", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "200", value = JobApiExamples.CANCELLED_JOB)))
    @APIResponse(responseCode = "403", description = "Neither a service token nor the owner of the job's tenant", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "409", description = "The job is not scheduled", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = JobApiExamples.JOB_NOT_CANCELLABLE)))
    public Uni<JobView> cancel(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireSomeCancel(caller);
        UUID jobId = jobId(rawJobId);
        return jobs.get(jobId)
                .invoke(record -> OrchestratorAccess.requireCancel(caller, record.job().tenantId))
                .chain(() -> jobs.cancel(jobId, caller.subjectOrUnknown()))
                .map(JobView::of);
    }

    @POST
    @Path("/{jobId}/execute-now")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "executeDeletionJobNow", summary = "Run a scheduled job now, before its execute_after", description = "Service tokens with scope deletion:admin only (403 without the scope): it skips the tenant's grace period. The job becomes pending "
            + "and starts at once; expedited_by (the token's sub) and the reason are kept with it. Refused while a legal hold is in force.",
            extensions = @Extension(name = JobApiResponses.STARTS_A_DELETION, value = "true"))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecuteNowRequest.class),
            examples = @ExampleObject(name = "request", value = JobApiExamples.EXECUTE_NOW)))
    @APIResponse(responseCode = "202", description = "The job, now pending (Location: /api/v1/deletion-jobs/{job_id})",
            headers = @Header(name = LOCATION, description = LOCATION_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "202", value = JobApiExamples.EXPEDITED_JOB)))
    @APIResponse(responseCode = "400", description = "reason missing, blank, longer than 1,000 characters or with NUL or control characters; unknown fields; "
            + "a body that is not a JSON object (all invalid_request)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "400", value = JobApiExamples.INVALID_REASON)))
    @APIResponse(responseCode = "403", description = "Not a service token with scope deletion:admin (a service token without the scope included)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN_EXECUTE_NOW)))
    @APIResponse(responseCode = "409", description = "The job is not scheduled (job_not_scheduled), or a legal hold of its tenant is in force (legal_hold)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = {@ExampleObject(name = "job_not_scheduled", value = JobApiExamples.JOB_NOT_SCHEDULED),
                            @ExampleObject(name = "legal_hold", value = JobApiExamples.LEGAL_HOLD)}))
    public Uni<Response> executeNow(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId,
            ExecuteNowRequest body) {
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireExecuteNow(caller);
        String reason = RequestInput.reason(body == null ? null : body.reason());
        return jobs.executeNow(jobId(rawJobId), caller.subjectOrUnknown(), reason)
                .map(record -> withLocation(202, record));
    }

    /** The job as answered with {@code status} and its {@code Location}. */
    private Response withLocation(int status, JobRecord record) {
        return Response.status(status).header(LOCATION, basePath + "/deletion-jobs/" + record.job().id).entity(JobView.of(record)).build();
    }

    /** A job id that is not a UUID names no job: 404 like any unknown id. */
    static UUID jobId(String raw) {
        return Uuids.canonical(raw).orElseThrow(ApiErrors::jobNotFound);
    }

}
