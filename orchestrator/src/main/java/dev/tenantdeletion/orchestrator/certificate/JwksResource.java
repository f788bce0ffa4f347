package dev.tenantdeletion.orchestrator.certificate;

import dev.tenantdeletion.deletion.error.ErrorBody;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * GET /api/v1/.well-known/jwks.json: the public halves of the certificate keys — the one signing now, then the retired ones
 * that signed earlier certificates — for anyone to verify certificates with. (Tokens are verified with a configured public
 * key, not with this set.)
 */
@Path("/.well-known/jwks.json")
@PermitAll
@Tag(name = "deletion certificates", description = "Signed evidence of completed and verified deletions, and the key to check it")
public class JwksResource {

    private final CertificateService certificates;

    public JwksResource(CertificateService certificates) {
        this.certificates = certificates;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getCertificateJwks", summary = "The JWKS of the certificate keys", description = "No token needed. The key signing certificates now, "
            + "then the retired keys that signed earlier ones (DELETION_CERTIFICATES_RETIRED_KEYS), each with its kid (the RFC 7638 "
            + "thumbprint), which a certificate's header names.")
    @APIResponse(responseCode = "200", description = "The JWKS (RFC 7517)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Jwks.class), examples = @ExampleObject(name = "200", value = CertificateApiExamples.JWKS)))
    @APIResponse(responseCode = "406", description = "The request accepts no JSON (Accept names other types only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "406", value = CertificateApiExamples.NOT_ACCEPTABLE)))
    public Map<String, Object> jwks() {
        return certificates.jwks();
    }

    /** The JWKS shape, for the OpenAPI description. */
    @Schema(description = "A JSON Web Key Set (RFC 7517)")
    public record Jwks(java.util.List<Key> keys) {
    }

    /** One RSA public key (RFC 7518 6.3). */
    public record Key(String kty, String use, String alg, String kid, String n, String e) {
    }
}
