package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.CertificateKeyPairs;
import dev.tenantdeletion.orchestrator.support.CertificateVerifier;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

/**
 * The second half of a key rotation, as docs/operations.md describes it: the application restarted with a new key B
 * signing and A's public key retired. The certificate {@link CertificateKeyATest} got under key A (before the restart)
 * still verifies from the served JWKS; a new certificate is signed with B.
 */
@QuarkusTest
@TestProfile(CertificateKeyRotatedTest.KeyBSignsKeyARetired.class)
@WithTestResource(OrchestratorTestResource.class)
class CertificateKeyRotatedTest {

    public static class KeyBSignsKeyARetired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.certificates.sign-key-location", CertificateKeyPairs.privateKeyFile(CertificateKeyATest.KEY_B).toString(),
                    // blanks around the comma, and B's own public key listed too (a rotation half written): both harmless
                    "deletion.certificates.retired-keys", CertificateKeyPairs.publicKeyFile(CertificateKeyATest.KEY_A) + " , "
                            + CertificateKeyPairs.publicKeyFile(CertificateKeyATest.KEY_B));
        }
    }

    @Test
    void aCertificateSignedBeforeTheRotationStillVerifiesAndNewOnesAreSignedWithTheNewKey() throws Exception {
        String jwks = as(null).get("/api/v1/.well-known/jwks.json").then().statusCode(200).extract().asString();
        List<JsonWebKey> keys = new JsonWebKeySet(jwks).getJsonWebKeys();
        assertEquals(2, keys.size(), jwks);
        assertEquals(publicKey(CertificateKeyATest.KEY_B), keys.get(0).getKey(), "the current key first");
        assertEquals(publicKey(CertificateKeyATest.KEY_A), keys.get(1).getKey(), "then the retired one");

        // a certificate issued before the restart, under key A
        String old = System.getProperty(CertificateKeyATest.SIGNED_WITH_A);
        assertNotNull(old, "CertificateKeyATest runs first and leaves its certificate (run both: -Dtest='CertificateKey*Test')");
        assertEquals(keys.get(1).getKeyId(), kid(old));
        assertNotNull(CertificateVerifier.verify(jwks, old).getStringClaimValue("job_id"));

        // a new one: signed with B, verifiable from the same JWKS, not with A
        UUID job = UUID.randomUUID();
        JobRows.jobIn(job, UUID.randomUUID(), "completed");
        String fresh = Api.certificate(TestTokens.service(), job.toString()).then().statusCode(200).extract().path("certificate");
        assertEquals(keys.get(0).getKeyId(), kid(fresh));
        assertEquals(job.toString(), CertificateVerifier.verify(jwks, fresh).getStringClaimValue("job_id"));
        String onlyA = new JsonWebKeySet(keys.get(1)).toJson();
        assertThrows(InvalidJwtException.class, () -> CertificateVerifier.verify(onlyA, fresh));
        // and without A in the JWKS, the old certificate would be stranded: that is what the retired list prevents
        String onlyB = new JsonWebKeySet(keys.get(0)).toJson();
        assertThrows(InvalidJwtException.class, () -> CertificateVerifier.verify(onlyB, old));
    }

    static PublicKey publicKey(String pair) throws Exception {
        String pem = Files.readString(CertificateKeyPairs.publicKeyFile(pair));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static String kid(String jws) throws Exception {
        JsonWebSignature parsed = new JsonWebSignature();
        parsed.setCompactSerialization(jws);
        return parsed.getKeyIdHeaderValue();
    }
}
