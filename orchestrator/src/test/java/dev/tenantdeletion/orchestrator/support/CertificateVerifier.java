package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.testing.TestTokens;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * The certificate verifier docs/operations.md describes, written with jose4j (independent of the SmallRye code that
 * signs): the key picked from the served JWKS by the header's kid, RS256 only, {@code typ} deletion-certificate+jwt and
 * {@code aud} deletion-certificate required, the orchestrator's issuer, {@code iat}, {@code jti} and {@code sub} present
 * (no {@code exp}: a certificate does not expire).
 */
public final class CertificateVerifier {

    public static final String TYPE = "deletion-certificate+jwt";
    public static final String AUDIENCE = "deletion-certificate";

    private CertificateVerifier() {
    }

    /** The verified claims; an {@link InvalidJwtException} for anything that is not a certificate signed by a JWKS key. */
    public static JwtClaims verify(String jwksJson, String jws) throws InvalidJwtException, JoseException {
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwksJson).getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedType(true, TYPE)
                .setExpectedAudience(AUDIENCE)
                .setExpectedIssuer(TestTokens.ISSUER)
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .build()
                .processToClaims(jws);
    }
}
