package dev.tenantdeletion.orchestrator.certificate;

import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.orchestrator.job.store.DeletionJob;
import dev.tenantdeletion.orchestrator.job.store.JobQueries.JobRecord;
import dev.tenantdeletion.orchestrator.job.store.ServiceRun;
import dev.tenantdeletion.orchestrator.model.JobStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletion certificates: a JWS (RS256, the certificate key — see {@link CertificateKeys} —, header {@code typ}
 * {@value #TYPE} and {@code kid} = the key's RFC 7638 thumbprint) over what a completed and verified job erased, per
 * service, and what each service keeps on purpose. Its {@code aud} is {@value #AUDIENCE} and its {@code typ} is not a
 * token's, so no token verifier accepts a certificate and no certificate verifier (which requires both) accepts a token.
 * Built with SmallRye JWT's build API; anyone holding the JWKS can check it offline. The certificate carries no
 * {@code exp}: it is evidence of a past event, not a credential (smallrye.jwt.new-token.add-default-claims=false).
 */
@ApplicationScoped
public class CertificateService {

    /** The JWS header's {@code typ} (RFC 8725 3.11: explicit typing). */
    public static final String TYPE = "deletion-certificate+jwt";

    /** The certificate's {@code aud}: no process's token audience. */
    public static final String AUDIENCE = "deletion-certificate";

    private final ServiceTokens tokens;
    private final CertificateKeys keys;

    public CertificateService(ServiceTokens tokens, CertificateKeys keys) {
        this.tokens = tokens;
        this.keys = keys;
    }

    /** A signed certificate and its claims (decoded from the very JWS, so they are what was signed). */
    public record Certificate(String certificate, Map<String, Object> claims) {
    }

    /** A claim that may be absent: JSON null, so every certificate names the same claims. */
    private static Object orNull(String value) {
        return value == null ? JsonValue.NULL : value;
    }

    /** The JWKS (RFC 7517) of the certificate keys: the current one, then the retired ones. */
    public Map<String, Object> jwks() {
        return Map.of("keys", keys.published().stream().map(PublicJwk::asMap).toList());
    }

    /** The job's certificate; 409 job_not_certifiable unless it is completed and verified. */
    public Certificate certify(JobRecord record) {
        DeletionJob job = record.job();
        if (JobStatus.of(job.status) != JobStatus.COMPLETED || !job.verified) {
            throw new ApiException(409, "job_not_certifiable", "only a completed and verified job has a certificate; this one is "
                    + job.status + (job.verified ? "" : ", not verified"));
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
                .claim("created_at", job.createdAt.toString())
                .claim("completed_at", job.completedAt == null ? JsonValue.NULL : job.completedAt.toString())
                .claim("total_items_deleted", total)
                .claim("services", services);
        String jws = claims.jws().type(TYPE).keyId(keys.current().kid()).algorithm(SignatureAlgorithm.RS256).sign(keys.signingKey());
        String payload = jws.split("\\.")[1];
        Map<String, Object> signed = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).getMap();
        return new Certificate(jws, signed);
    }
}
