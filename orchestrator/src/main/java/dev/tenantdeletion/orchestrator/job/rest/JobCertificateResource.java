package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.error.ErrorBody;
import dev.tenantdeletion.orchestrator.access.OrchestratorAccess;
import dev.tenantdeletion.orchestrator.certificate.CertificateApiExamples;
import dev.tenantdeletion.orchestrator.certificate.CertificateService;
import dev.tenantdeletion.orchestrator.job.service.JobService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * GET /api/v1/deletion-jobs/{jobId}/certificate. Its own path (not {@code /deletion-jobs}, nor {@code /{jobId}}) so that
 * it never stands in front of {@link DeletionJobResource} when a request is routed; its 404 comes from JobApiResponses.
 */
@Path("/deletion-jobs/{jobId}/certificate")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = DeletionJobResource.TAG, description = DeletionJobResource.TAG_DESCRIPTION)
@SecurityRequirement(name = "jwt")
public class JobCertificateResource {

    private final JobService jobs;
    private final CertificateService certificates;
    private final JsonWebToken token;

    public JobCertificateResource(JobService jobs, CertificateService certificates, JsonWebToken token) {
        this.jobs = jobs;
        this.certificates = certificates;
        this.token = token;
    }

    @GET
    @Operation(operationId = "getDeletionCertificate", summary = "The deletion certificate of a completed, verified job", description = "Who may read the job. A JWS (RS256, "
            + "the certificate key, header typ deletion-certificate+jwt and kid; aud deletion-certificate) over the job's tenant, who asked and why, when, and per service what was "
            + "deleted, when it was verified empty and what it retains on purpose; check it with GET /api/v1/.well-known/jwks.json.")
    @APIResponse(responseCode = "200", description = "The certificate (JWS compact serialization) and its claims", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CertificateView.class), examples = @ExampleObject(name = "200", value = CertificateApiExamples.CERTIFICATE)))
    @APIResponse(responseCode = "403", description = "Token without the right to read this job", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "403", value = JobApiExamples.FORBIDDEN)))
    @APIResponse(responseCode = "409", description = "The job is not completed and verified, or the registry now names a service it never verified", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ErrorBody.class), examples = @ExampleObject(name = "409", value = CertificateApiExamples.NOT_CERTIFIABLE)))
    public Uni<CertificateView> certificate(@Parameter(description = "Job UUID", example = JobApiExamples.JOB_ID) @PathParam("jobId") String rawJobId) {
        Caller caller = Caller.of(token);
        OrchestratorAccess.requireSomeRead(caller);
        return jobs.get(DeletionJobResource.jobId(rawJobId))
                .invoke(record -> OrchestratorAccess.requireRead(caller, record.job().tenantId))
                // a service registered since the job ran counts once re-verification has found it empty for the tenant
                .chain(record -> jobs.reverified(record, certificates.neverVerified(record))
                        .map(reverified -> certificates.certify(record, reverified)))
                .map(certificate -> new CertificateView(certificate.certificate(), certificate.claims()));
    }

    /** A certificate as answered. */
    @Schema(description = "A deletion certificate: the JWS and, for convenience, its claims (iss, aud, sub, tenant_id, jti, job_id, "
            + "iat, requested_by, reason, created_at, completed_at, total_items_deleted, services[service, deleted_counts, total_deleted, "
            + "verified_at, retained], registry)")
    public record CertificateView(@Schema(description = "JWS compact serialization, RS256, header typ deletion-certificate+jwt and kid") String certificate,
            Map<String, Object> claims) {
    }
}
