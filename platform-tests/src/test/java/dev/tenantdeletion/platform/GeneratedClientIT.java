package dev.tenantdeletion.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantdeletion.client.ApiClient;
import dev.tenantdeletion.client.ApiException;
import dev.tenantdeletion.client.ApiResponse;
import dev.tenantdeletion.client.api.DeletionCertificatesApi;
import dev.tenantdeletion.client.api.DeletionJobsApi;
import dev.tenantdeletion.client.api.LegalHoldsApi;
import dev.tenantdeletion.client.model.CertificateView;
import dev.tenantdeletion.client.model.CreateJobRequest;
import dev.tenantdeletion.client.model.ExecuteNowRequest;
import dev.tenantdeletion.client.model.JobView;
import dev.tenantdeletion.client.model.Jwks;
import dev.tenantdeletion.client.model.Key;
import dev.tenantdeletion.client.model.LegalHoldView;
import dev.tenantdeletion.client.model.PlaceHoldRequest;
import dev.tenantdeletion.client.model.ServiceView;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole offboarding driven by nothing but the client that OpenAPI Generator made at build time from the orchestrator's
 * served document (docs/openapi/orchestrator.json, held equal to /q/openapi by the orchestrator's tests), against the four
 * packaged apps as processes: a scheduled job, a legal hold placed (execute-now refused) and lifted, execute-now,
 * completion, the certificate, and the JWKS that verifies it. A document that types a field wrongly (a null where it says
 * none) makes the generated client throw here, as it would for a platform team.
 */
class GeneratedClientIT {

    private static final Path WORK = Path.of("target", "generated-client").toAbsolutePath();
    private static final int ROWS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Platform platform;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = new Platform("generated-client", "genclient", WORK);
        for (String label : Platform.APPS) {
            platform.createDatabase(label);
        }
        for (String label : Platform.SERVICES) {
            platform.app(label, platform.environment(label));
        }
        Map<String, String> orchestrator = platform.environment("orchestrator");
        orchestrator.put("DELETION_JOBS_SWEEP_INTERVAL", "500ms");
        platform.app("orchestrator", orchestrator);
        for (App app : platform.apps()) {
            app.start();
        }
        for (App app : platform.apps()) {
            platform.awaitReady(app, Duration.ofSeconds(180));
        }
    }

    @AfterAll
    static void stopThePlatform() {
        if (platform != null) {
            platform.stop();
        }
    }

    /** A client of the orchestrator whose every request carries {@code token} (null: none). */
    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(platform.baseUri("orchestrator"));
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    @Test
    void aWholeOffboardingThroughTheGeneratedClient() throws Exception {
        UUID tenant = UUID.randomUUID();
        for (String label : Platform.SERVICES) {
            platform.seed(label, List.of(tenant), ROWS);
        }
        assertTrue(TestDb.total(platform.counts(tenant)) > 0, "seeded");
        DeletionJobsApi jobs = new DeletionJobsApi(client(Platform.token("orchestrator")));
        DeletionJobsApi adminJobs = new DeletionJobsApi(client(adminToken()));
        LegalHoldsApi holds = new LegalHoldsApi(client(adminToken()));

        // a scheduled job: 202 with Location, every not-yet-known field null (the generated model reads them)
        ApiResponse<JobView> created = jobs.createDeletionJobWithHttpInfo(new CreateJobRequest().tenantId(tenant.toString())
                .gracePeriod("PT1H"));
        assertEquals(202, created.getStatusCode());
        JobView job = created.getData();
        String jobId = job.getJobId().toString();
        assertEquals(List.of("/api/v1/deletion-jobs/" + jobId), header(created, "Location"));
        assertEquals(JobView.StatusEnum.SCHEDULED, job.getStatus());
        assertNull(job.getTenantName());
        assertNull(job.getReason());
        assertNull(job.getStartedAt());
        assertNull(job.getCompletedAt());
        assertNotNull(job.getExecuteAfter());
        // the same tenant again: 200 with that job
        ApiResponse<JobView> again = jobs.createDeletionJobWithHttpInfo(new CreateJobRequest().tenantId(tenant.toString()));
        assertEquals(200, again.getStatusCode());
        assertEquals(job.getJobId(), again.getData().getJobId());

        // a legal hold: execute-now is refused while it holds; lifted, it is not
        LegalHoldView hold = holds.placeLegalHold(tenant.toString(), new PlaceHoldRequest().reason("litigation: case 42"));
        assertEquals(tenant, hold.getTenantId());
        assertNull(hold.getUntil());
        assertEquals(tenant, holds.getLegalHold(tenant.toString()).getTenantId());
        ApiException refused = assertThrows(ApiException.class,
                () -> adminJobs.executeDeletionJobNow(jobId, new ExecuteNowRequest().reason("the customer asked")));
        assertEquals(409, refused.getCode());
        assertEquals("legal_hold", JSON.readTree(refused.getResponseBody()).path("error").asText(), refused.getResponseBody());
        holds.liftLegalHold(tenant.toString());
        assertEquals(404, assertThrows(ApiException.class, () -> holds.getLegalHold(tenant.toString())).getCode());

        // execute-now: 202, pending, then completed and verified
        ApiResponse<JobView> expedited = adminJobs.executeDeletionJobNowWithHttpInfo(jobId, new ExecuteNowRequest().reason("the customer asked"));
        assertEquals(202, expedited.getStatusCode());
        assertEquals("auth-service", expedited.getData().getExpeditedBy());
        JobView done = awaitCompleted(jobs, jobId);
        assertTrue(done.getVerified(), "verified");
        assertNotNull(done.getStartedAt());
        assertNotNull(done.getCompletedAt());
        assertNull(done.getBlockedBy());
        assertEquals(3, done.getServices().size());
        long deleted = 0;
        for (ServiceView service : done.getServices()) {
            assertEquals(ServiceView.StatusEnum.COMPLETED, service.getStatus(), service.toString());
            assertNull(service.getError());
            assertNotNull(service.getDurationMs());
            deleted += service.getTotalDeleted();
        }
        assertEquals(done.getTotalItemsDeleted(), deleted);
        assertEquals(0L, TestDb.total(platform.counts(tenant)), "nothing of the tenant is left");
        assertTrue(jobs.listDeletionJobs(null, null, null, tenant).getItems().stream()
                .anyMatch(listed -> listed.getJobId().equals(done.getJobId())));

        // the certificate, checked with the JWKS that the same client reads without a token
        CertificateView certificate = jobs.getDeletionCertificate(jobId);
        Jwks jwks = new DeletionCertificatesApi(client(null)).getCertificateJwks();
        verify(certificate.getCertificate(), jwks);
        JsonNode claims = JSON.readTree(payload(certificate.getCertificate()));
        assertEquals(jobId, claims.path("job_id").asText());
        assertEquals(tenant.toString(), claims.path("tenant_id").asText());
        assertEquals(deleted, claims.path("total_items_deleted").asLong());
        assertEquals(jobId, String.valueOf(certificate.getClaims().get("job_id")));
    }

    /** A header of the answer, whatever the case of its name in the client's map. */
    private static List<String> header(ApiResponse<?> response, String name) {
        return response.getHeaders().entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(List.of());
    }

    private static JobView awaitCompleted(DeletionJobsApi jobs, String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JobView job = null;
        while (System.nanoTime() < deadline) {
            job = jobs.getDeletionJob(jobId);
            switch (job.getStatus()) {
                case COMPLETED -> {
                    return job;
                }
                case FAILED, PARTIALLY_FAILED, CANCELLED -> fail("the job ended " + job);
                default -> Thread.sleep(250);
            }
        }
        return fail("the job did not complete within 120 s: " + job);
    }

    /** A service token for the orchestrator with scope deletion:admin (legal holds, execute-now). */
    private static String adminToken() {
        Map<String, Object> claims = TestTokens.claimsFor(Platform.name("orchestrator"), "auth-service", "service", null, null);
        claims.put("scope", TestTokens.ADMIN_SCOPE);
        return TestTokens.rs256(claims);
    }

    /** The JWS's RS256 signature checked with the JWKS key its header names. */
    private static void verify(String jws, Jwks jwks) throws Exception {
        String[] parts = jws.split("\\.");
        assertEquals(3, parts.length, jws);
        String kid = JSON.readTree(Base64.getUrlDecoder().decode(parts[0])).path("kid").asText();
        Key key = jwks.getKeys().stream().filter(k -> kid.equals(k.getKid())).findFirst()
                .orElseThrow(() -> new AssertionError("no JWKS key " + kid + " in " + jwks));
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(key.getN())), new BigInteger(1, Base64.getUrlDecoder().decode(key.getE()))));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(publicKey);
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(signature.verify(Base64.getUrlDecoder().decode(parts[2])), "the certificate's signature");
    }

    private static String payload(String jws) {
        return new String(Base64.getUrlDecoder().decode(jws.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
