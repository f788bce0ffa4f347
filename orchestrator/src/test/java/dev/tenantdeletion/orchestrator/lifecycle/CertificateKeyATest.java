package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.CertificateKeyPairs;
import dev.tenantdeletion.orchestrator.support.CertificateVerifier;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * The first half of a key rotation: certificates signed with a key of their own, A (not the token key). The certificate
 * issued here is kept (in a system property of this test JVM) for {@link CertificateKeyRotatedTest}, which runs next — the
 * class orderer runs classes of one profile together, in class-name order — after the application restarted with key B.
 */
@QuarkusTest
@TestProfile(CertificateKeyATest.SignedWithKeyA.class)
@WithTestResource(OrchestratorTestResource.class)
class CertificateKeyATest {

    static final String KEY_A = "certificate-key-a";
    static final String KEY_B = "certificate-key-b";
    /** Where the certificate signed with key A waits for the restarted application. */
    static final String SIGNED_WITH_A = "tenant-deletion.test.certificate-signed-with-key-a";

    public static class SignedWithKeyA implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.certificates.sign-key-location", CertificateKeyPairs.privateKeyFile(KEY_A).toString());
        }
    }

    @Test
    void keyASignsCertificatesAndIsTheOnlyKeyOfTheJwks() throws Exception {
        UUID job = UUID.randomUUID();
        JobRows.jobIn(job, UUID.randomUUID(), "completed");
        String certificate = Api.certificate(TestTokens.service(), job.toString()).then().statusCode(200).extract().path("certificate");

        String jwks = as(null).get("/api/v1/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JsonWebKeySet keys = new JsonWebKeySet(jwks);
        assertEquals(1, keys.getJsonWebKeys().size(), "only the certificate key: the token key is not a certificate key");
        RsaJsonWebKey a = (RsaJsonWebKey) keys.getJsonWebKeys().get(0);
        assertEquals(CertificateKeyRotatedTest.publicKey(KEY_A), a.getRSAPublicKey());
        assertNotEquals(TestKeys.publicKey(), a.getRSAPublicKey());
        assertEquals(a.calculateBase64urlEncodedThumbprint("SHA-256"), a.getKeyId());

        JsonWebSignature header = new JsonWebSignature();
        header.setCompactSerialization(certificate);
        assertEquals(a.getKeyId(), header.getKeyIdHeaderValue());
        JwtClaims claims = CertificateVerifier.verify(jwks, certificate);
        assertEquals(job.toString(), claims.getStringClaimValue("job_id"));

        System.setProperty(SIGNED_WITH_A, certificate);
    }
}
