package dev.tenantdeletion.orchestrator.lifecycle;

import static dev.tenantdeletion.orchestrator.support.Api.assertError;
import static dev.tenantdeletion.orchestrator.support.Api.as;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.CertificateVerifier;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.OpenApiAssertions;
import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

/**
 * Deletion certificates, checked the way an auditor would: the JWKS fetched without any token, the JWS
 * verified by independent code (jose4j's consumer, and plain java.security), its claims compared with the
 * job, any changed byte rejected; and refused for a job that is not completed and verified.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class CertificateTest {

    private static final String JWKS = "/api/v1/.well-known/jwks.json";
    private final FakeServices fake = FakeServices.current();

    @Test
    void aCompletedJobsCertificateVerifiesWithTheJwksAndEqualsTheJob() throws Exception {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 11));
        // a service that keeps something on purpose says so in its preview; the certificate carries it
        Map<String, Object> posRetention = Map.of("pos_configurations", "kept 10 years: tax law (invoices reference them)");
        fake.behaviour("pos-service", tenant).retained(posRetention);
        String reason = "contract ended \uD83D\uDC4B \u05E9\u05DC\u05D5\u05DD";
        String jobId = Api.submit(TestTokens.service("auth-service"), "{\"tenant_id\":\"" + tenant + "\",\"tenant_name\":\"Bakery\",\"reason\":"
                + Api.jsonString(reason) + "}").then().statusCode(202).extract().jsonPath().getString("job_id");
        Response job = awaitFinal(TestTokens.service(), jobId, Duration.ofSeconds(30));
        assertEquals("completed", job.jsonPath().getString("status"), job.asString());

        Response answer = Api.certificate(TestTokens.user("owner", tenant), jobId);
        answer.then().statusCode(200);
        String jws = answer.jsonPath().getString("certificate");

        // the JWKS needs no token; the key id is the RFC 7638 thumbprint of the key (computed here by jose4j)
        Response jwks = as(null).get(JWKS);
        jwks.then().statusCode(200);
        assertTrue(jwks.contentType().startsWith("application/json"));
        JsonWebKeySet keys = new JsonWebKeySet(jwks.asString());
        assertEquals(1, keys.getJsonWebKeys().size());
        RsaJsonWebKey key = (RsaJsonWebKey) keys.getJsonWebKeys().get(0);
        assertEquals(key.calculateBase64urlEncodedThumbprint("SHA-256"), key.getKeyId());
        assertEquals(TestKeys.publicKey(), key.getRSAPublicKey(), "the JWKS serves the public half of the orchestrator's signing key");
        assertNull(key.getPrivateKey());
        assertFalse(jwks.asString().contains("\"d\""), "no private member in the JWKS");

        // jose4j: the header names the type and the key; the documented verifier picks the key by kid, requires typ and aud
        JsonWebSignature parsed = new JsonWebSignature();
        parsed.setCompactSerialization(jws);
        assertEquals("RS256", parsed.getAlgorithmHeaderValue());
        assertEquals("deletion-certificate+jwt", parsed.getHeader("typ"));
        assertEquals(key.getKeyId(), parsed.getKeyIdHeaderValue());
        PublicKey selected = (PublicKey) new VerificationJwkSelector().select(parsed, keys.getJsonWebKeys()).getKey();
        JwtClaims claims = CertificateVerifier.verify(jwks.asString(), jws);
        assertEquals(List.of("deletion-certificate"), claims.getAudience());
        assertEquals(TestTokens.ISSUER, claims.getIssuer(), "the certificate names the orchestrator's issuer");
        assertNull(claims.getExpirationTime());

        // plain java.security, from n and e alone
        assertTrue(verifiesWith(jws, rsaKey(jwks.jsonPath().getString("keys[0].n"), jwks.jsonPath().getString("keys[0].e"))));

        // the claims equal the job
        assertEquals(tenant.toString(), claims.getSubject());
        assertEquals(tenant.toString(), claims.getStringClaimValue("tenant_id"));
        assertEquals(jobId, claims.getJwtId());
        assertEquals(jobId, claims.getStringClaimValue("job_id"));
        assertEquals("auth-service", claims.getStringClaimValue("requested_by"));
        assertEquals(reason, claims.getStringClaimValue("reason"));
        assertEquals(Instant.parse(job.jsonPath().getString("created_at")), Instant.parse(claims.getStringClaimValue("created_at")));
        assertEquals(Instant.parse(job.jsonPath().getString("completed_at")), Instant.parse(claims.getStringClaimValue("completed_at")));
        assertEquals(job.jsonPath().getLong("total_items_deleted"), ((Number) claims.getClaimValue("total_items_deleted")).longValue());
        assertTrue(Math.abs(claims.getIssuedAt().getValue() - Instant.now().getEpochSecond()) < 60);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) claims.getClaimValue("services");
        assertEquals(3, services.size());
        for (Map<String, Object> service : services) {
            String name = (String) service.get("service");
            String path = "services.find { it.service == '" + name + "' }";
            assertEquals(Api.longs(job, path + ".deleted_counts"), longs(service.get("deleted_counts")), name);
            assertEquals(job.jsonPath().getLong(path + ".total_deleted"), ((Number) service.get("total_deleted")).longValue(), name);
            assertEquals("pos-service".equals(name) ? posRetention : Map.of(), service.get("retained"), name + ": retained from its preview");
            Instant verifiedAt = Instant.parse((String) service.get("verified_at"));
            assertFalse(verifiedAt.isAfter(Instant.parse(job.jsonPath().getString("completed_at"))), name);
        }
        // the answer's claims are the signed ones
        Map<String, Object> answered = answer.jsonPath().getMap("claims");
        assertEquals(claims.getClaimsMap().keySet(), answered.keySet());
        assertEquals(jobId, answered.get("job_id"));

        // one changed byte anywhere fails
        for (int position : List.of(5, jws.indexOf('.') + 10, jws.lastIndexOf('.') + 10, jws.length() - 2)) {
            char original = jws.charAt(position);
            String tampered = jws.substring(0, position) + (original == 'A' ? 'B' : 'A') + jws.substring(position + 1);
            assertThrows(Exception.class, () -> CertificateVerifier.verify(jwks.asString(), tampered), "tampered at " + position);
            assertFalse(verifiesWithQuietly(tampered, selected), "tampered at " + position);
        }
        // and a payload re-encoded with another figure fails too
        String[] parts = jws.split("\\.");
        String forged = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"total_items_deleted\":" + job.jsonPath().getLong("total_items_deleted"), "\"total_items_deleted\":1");
        assertNotEquals(parts[1], Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
        String forgedJws = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertThrows(Exception.class, () -> CertificateVerifier.verify(jwks.asString(), forgedJws));

        // who may read the job may read its certificate
        Api.certificate(TestTokens.service(), jobId).then().statusCode(200);
        Api.certificate(TestTokens.user("admin", tenant), jobId).then().statusCode(200);
        assertError("certificate", 403, "forbidden", Api.certificate(TestTokens.user("member", tenant), jobId));
        assertError("certificate", 403, "forbidden", Api.certificate(TestTokens.user("owner", UUID.randomUUID()), jobId));
        assertError("certificate", 401, null, Api.certificate(null, jobId));
        assertError("certificate", 404, "job_not_found", Api.certificate(TestTokens.service(), UUID.randomUUID().toString()));
    }

    /**
     * Here the certificate key is the token key (DELETION_CERTIFICATES_SIGN_KEY_LOCATION unset) and both name the same issuer, so
     * only the certificate's aud (and the token's missing exp) keep it from opening the API.
     */
    @Test
    void aCertificateIsNoBearerToken() {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        JobRows.jobIn(job, tenant, "completed");
        String certificate = Api.certificate(TestTokens.service(), job.toString()).then().statusCode(200).extract().path("certificate");
        assertError("job read with a certificate", 401, null, Api.job(certificate, job.toString()));
        assertError("certificate read with a certificate", 401, null, Api.certificate(certificate, job.toString()));
        assertError("new job with a certificate", 401, null, Api.submit(certificate, tenant));
        assertError("preview with a certificate", 401, null, Api.preview(certificate, tenant.toString()));
    }

    /** Tokens signed by the very key of the JWKS, with the certificate's issuer: the certificate verifier still refuses them. */
    @Test
    void aTokenIsNoCertificate() throws Exception {
        String jwks = as(null).get(JWKS).asString();
        RsaJsonWebKey key = (RsaJsonWebKey) new JsonWebKeySet(jwks).getJsonWebKeys().get(0);
        UUID tenant = UUID.randomUUID();
        for (String token : List.of(TestTokens.service(), TestTokens.user("owner", tenant), TestTokens.user("admin", tenant))) {
            assertTrue(verifiesWith(token, key.getRSAPublicKey()), "the token is signed by the JWKS key: only typ and aud tell it apart");
            InvalidJwtException refused = assertThrows(InvalidJwtException.class, () -> CertificateVerifier.verify(jwks, token));
            assertTrue(refused.hasErrorCode(ErrorCodes.TYPE_INVALID) || refused.hasErrorCode(ErrorCodes.TYPE_MISSING), refused.toString());
        }
        // a token that copied the certificate's typ header still names another audience (the orchestrator's)
        JsonWebSignature typedToken = new JsonWebSignature();
        typedToken.setPayload(JsonUtil.toJson(TestTokens.claims("auth-service", "service", null, null)));
        typedToken.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        typedToken.setHeader("typ", CertificateVerifier.TYPE);
        typedToken.setKeyIdHeaderValue(key.getKeyId());
        typedToken.setKey(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(Files.readString(TestKeys.privateKeyFile()).replaceAll("-----[A-Z ]+-----", "")))));
        String typed = typedToken.getCompactSerialization();
        InvalidJwtException refused = assertThrows(InvalidJwtException.class, () -> CertificateVerifier.verify(jwks, typed));
        assertTrue(refused.hasErrorCode(ErrorCodes.AUDIENCE_INVALID), refused.toString());
    }

    @Test
    void aJobWithoutReasonOrRetainedFiguresStillHasEveryClaim() {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        JobRows.jobIn(job, tenant, "completed");
        dev.tenantdeletion.testing.TestDb.execute("update deletion_jobs set reason = null where id = '" + job + "'");
        Response answer = Api.certificate(TestTokens.service(), job.toString());
        answer.then().statusCode(200);
        Map<String, Object> claims = answer.jsonPath().getMap("claims");
        assertTrue(claims.containsKey("reason") && claims.get("reason") == null, claims.toString());
        assertEquals(job.toString(), claims.get("job_id"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) claims.get("services");
        assertEquals(3, services.size());
        assertTrue(services.get(0).containsKey("retained"), "retained not read (a job stored before the second edition): null");
    }

    @Test
    void noCertificateForAJobThatIsNotCompletedAndVerified() {
        for (String status : List.of("scheduled", "pending", "running", "partially_failed", "failed", "cancelled")) {
            UUID job = UUID.randomUUID();
            JobRows.jobIn(job, UUID.randomUUID(), status);
            assertError("certificate", 409, "job_not_certifiable", Api.certificate(TestTokens.service(), job.toString()));
        }
        // completed by status but not verified
        UUID unverified = UUID.randomUUID();
        JobRows.jobIn(unverified, UUID.randomUUID(), "completed");
        dev.tenantdeletion.testing.TestDb.execute("update deletion_jobs set verified = false where id = '" + unverified + "'");
        assertError("certificate", 409, "job_not_certifiable", Api.certificate(TestTokens.service(), unverified.toString()));
        // a real run that failed verification (rows left behind)
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 2));
        fake.behaviour("pos-service", tenant).leaveRows();
        String jobId = Api.submit(TestTokens.service(), tenant).then().statusCode(202).extract().jsonPath().getString("job_id");
        Response done = awaitFinal(TestTokens.service(), jobId, Duration.ofSeconds(30));
        assertEquals("partially_failed", done.jsonPath().getString("status"), done.asString());
        assertError("certificate", 409, "job_not_certifiable", Api.certificate(TestTokens.service(), jobId));
    }

    /** /q/openapi describes every new operation with every status; the JWKS is public (an empty security requirement). */
    @Test
    void openApiDescribesTheNewOperations() {
        OpenApiAssertions.assertDescribed(Map.of(
                "/api/v1/deletion-jobs post", List.of("200", "202", "400", "401", "403", "409", "415", "503"),
                "/api/v1/deletion-jobs/{jobId}/retry post", List.of("202", "401", "403", "404", "409", "503"),
                "/api/v1/deletion-jobs/{jobId}/cancel post", List.of("200", "401", "403", "404", "409"),
                "/api/v1/deletion-jobs/{jobId}/execute-now post", List.of("202", "400", "401", "403", "404", "409", "415", "503"),
                "/api/v1/deletion-jobs/{jobId}/certificate get", List.of("200", "401", "403", "404", "409"),
                "/api/v1/tenants/{tenantId}/legal-hold put", List.of("200", "400", "401", "403", "409", "415"),
                "/api/v1/tenants/{tenantId}/legal-hold get", List.of("200", "400", "401", "403", "404"),
                "/api/v1/tenants/{tenantId}/legal-hold delete", List.of("400", "401", "403", "404")));
        io.restassured.path.json.JsonPath openapi = io.restassured.RestAssured.given().queryParam("format", "json").get("/q/openapi")
                .jsonPath();
        String jwks = "paths.'/api/v1/.well-known/jwks.json'.get";
        assertTrue(openapi.getMap(jwks + ".responses.'200'.content.'application/json'.examples").size() > 0);
        assertTrue(openapi.get(jwks + ".responses.'200'.content.'application/json'.schema") != null);
        assertEquals(List.of(), openapi.getList(jwks + ".security"), "the JWKS needs no token, and says so (security: [])");
        OpenApiAssertions.assertPublic("/api/v1/.well-known/jwks.json get");
        // its one 4xx, declared (and checked against the document like every answer of these tests)
        io.restassured.RestAssured.given().accept("application/xml").get("/api/v1/.well-known/jwks.json").then().statusCode(406)
                .body("error", org.hamcrest.Matchers.equalTo("not_acceptable"));
        assertTrue(openapi.getMap("paths.'/api/v1/tenants/{tenantId}/legal-hold'.delete.responses").containsKey("204"));
        assertTrue(openapi.getMap("components.schemas.JobView.properties").containsKey("blocked_by"));
        assertTrue(openapi.getMap("components.schemas.CreateJobRequest.properties").containsKey("grace_period"));
        // a job's services keep their published schema name (the Java record is JobView.ServiceRunView)
        assertTrue(openapi.getMap("components.schemas.ServiceView.properties").containsKey("items_expected"));
        assertFalse(openapi.getMap("components.schemas").containsKey("ServiceRunView"));
    }

    private static Map<String, Long> longs(Object counts) {
        Map<String, Long> result = new java.util.LinkedHashMap<>();
        ((Map<?, ?>) counts).forEach((k, v) -> result.put((String) k, ((Number) v).longValue()));
        return result;
    }

    private static RSAPublicKey rsaKey(String n, String e) throws Exception {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(new BigInteger(1, b64.decode(n)), new BigInteger(1, b64.decode(e))));
    }

    private static boolean verifiesWith(String jws, PublicKey key) throws Exception {
        int lastDot = jws.lastIndexOf('.');
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update(jws.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        return rsa.verify(Base64.getUrlDecoder().decode(jws.substring(lastDot + 1)));
    }

    private static boolean verifiesWithQuietly(String jws, PublicKey key) {
        try {
            return verifiesWith(jws, key);
        } catch (Exception e) {
            return false;
        }
    }
}
