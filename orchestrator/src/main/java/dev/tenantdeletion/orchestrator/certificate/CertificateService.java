package dev.tenantdeletion.orchestrator.certificate;

import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.orchestrator.job.store.DeletionJob;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.ServiceRun;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.token.PublicJwk;
import dev.tenantdeletion.orchestrator.token.ServiceTokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletion certificates: a JWS (RS256, the certificate key — see {@link CertificateKeys} —, header {@code typ}
 * {@value #TYPE} and {@code kid} = the key's RFC 7638 thumbprint) over what a completed and verified job erased, per
 * service, what each service keeps on purpose, and the registry it was verified against. Its {@code aud} is
 * {@value #AUDIENCE} and its {@code typ} is not a token's, so no token verifier accepts a certificate and no certificate
 * verifier (which requires both) accepts a token. Built with SmallRye JWT's build API; anyone holding the JWKS can check
 * it offline. The certificate carries no {@code exp}: it is evidence of a past event, not a credential
 * (smallrye.jwt.new-token.add-default-claims=false).
 */
@ApplicationScoped
public class CertificateService {

    /** The JWS header's {@code typ} (RFC 8725 3.11: explicit typing). */
    public static final String TYPE = "deletion-certificate+jwt";

    /** The certificate's {@code aud}: no process's token audience. */
    public static final String AUDIENCE = "deletion-certificate";

    private final ServiceTokens tokens;
    private final CertificateKeys keys;
    private final ServiceRegistry registry;

    public CertificateService(ServiceTokens tokens, CertificateKeys keys, ServiceRegistry registry) {
        this.tokens = tokens;
        this.keys = keys;
        this.registry = registry;
    }

    /** A signed certificate and its claims (decoded from the very JWS, so they are what was signed). */
    public record Certificate(String certificate, Map<String, Object> claims) {
    }

    /** The services the registry names now that the job has no completed, verified service run of, sorted. */
    public List<String> neverVerified(JobRecord record) {
        Set<String> verified = new HashSet<>();
        record.services().stream().filter(run -> ServiceStatus.of(run.status) == ServiceStatus.COMPLETED && run.verified)
                .forEach(run -> verified.add(run.service));
        return registry.services().stream().map(RegisteredService::name).filter(name -> !verified.contains(name)).sorted().toList();
    }

    /**
     * The services registered when the job was verified, sorted, as its finish recorded them; for a job finished
     * before they were recorded, its service runs (its scope was then the registry when it was created).
     */
    private static List<String> registry(JobRecord record) {
        List<String> names = record.job().registry != null ? new ArrayList<>(List.of(record.job().registry))
                : new ArrayList<>(record.services().stream().map(run -> run.service).toList());
        Collections.sort(names);
        return names;
    }

    /** A claim that may be absent: JSON null, so every certificate names the same claims. */
    private static Object orNull(String value) {
        return value == null ? JsonValue.NULL : value;
    }

    /** The JWKS (RFC 7517) of the certificate keys: the current one, then the retired ones. */
    public Map<String, Object> jwks() {
        return Map.of("keys", keys.published().stream().map(PublicJwk::asMap).toList());
    }

    /**
     * The job's certificate; 409 job_not_certifiable unless it is completed and verified, and while the current
     * registry names a service the job never verified (registered since the job ran: its data was never checked).
     */
    public Certificate certify(JobRecord record) {
        return certify(record, Set.of());
    }

    /**
     * The same, {@code reverified} naming the services re-verification has found empty for the tenant since the job
     * completed: a service registered since the job ran no longer refuses the certificate once it is among them.
     */
    public Certificate certify(JobRecord record, Set<String> reverified) {
        DeletionJob job = record.job();
        if (JobStatus.of(job.status) != JobStatus.COMPLETED || !job.verified) {
            throw new ApiException(409, "job_not_certifiable", "only a completed and verified job has a certificate; this one is "
                    + job.status + (job.verified ? "" : ", not verified"));
        }
        List<String> neverVerified = neverVerified(record).stream().filter(name -> !reverified.contains(name)).toList();
        if (!neverVerified.isEmpty()) {
            throw new ApiException(409, "job_not_certifiable", "the job never verified " + String.join(", ", neverVerified)
                    + ", registered since it ran, and re-verification has not checked it for the tenant yet; a new deletion job for the "
                    + "tenant covers every registered service");
        }
        List<Map<String, Object>> services = new ArrayList<>();
        long total = 0;
        for (ServiceRun run : record.services()) {
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("service", run.service);
            service.put("deleted_counts", run.deletedCounts == null ? Map.of() : new LinkedHashMap<>(run.deletedCounts));
            service.put("total_deleted", run.totalDeleted);
            service.put("verified_at", run.completedAt == null ? JsonValue.NULL : run.completedAt.toString());
            service.put("retained", run.retained == null ? JsonValue.NULL : new LinkedHashMap<>(run.retained));
            services.add(service);
            total += run.totalDeleted;
        }
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(tokens.issuer())
                .audience(AUDIENCE)
                .subject(job.tenantId.toString())
                .issuedAt(Instant.now())
                .claim("jti", job.id.toString())
                .claim("tenant_id", job.tenantId.toString())
                .claim("job_id", job.id.toString())
                .claim("requested_by", job.requestedBy)
                .claim("reason", orNull(job.reason))
                .claim("export_sha256", orNull(job.exportSha256))
                .claim("created_at", job.createdAt.toString())
                .claim("completed_at", job.completedAt == null ? JsonValue.NULL : job.completedAt.toString())
                .claim("total_items_deleted", total)
                .claim("services", services)
                .claim("registry", registry(record));
        String jws = claims.jws().type(TYPE).keyId(keys.current().kid()).algorithm(SignatureAlgorithm.RS256).sign(keys.signingKey());
        String payload = jws.split("\\.")[1];
        Map<String, Object> signed = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).getMap();
        return new Certificate(jws, signed);
    }
}
