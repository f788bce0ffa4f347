package dev.tenantdeletion.orchestrator.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.export.service.TenantArchive;
import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator's export against the fake services (which stream NDJSON exports as the engine does): the ZIP, opened
 * with the JDK's reader, holds every service's file, a manifest whose hashes and counts match the files, and a JWS of
 * the manifest that jose4j verifies with the published JWKS; a service that breaks off mid-export breaks the download.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class TenantArchiveTest {

    private final FakeServices fake = FakeServices.current();

    @Test
    void theArchiveHoldsEveryServiceFileAndASignedManifestThatMatchesThem() throws Exception {
        UUID tenant = UUID.randomUUID();
        Map<String, Map<String, Long>> seeded = new LinkedHashMap<>();
        FakeServices.TABLES.keySet().forEach(service -> seeded.put(service, fake.seed(service, tenant, 2_500)));

        Response response = given().header("Authorization", "Bearer " + TestTokens.user("owner", tenant))
                .get("/api/v1/tenants/" + tenant + "/export");
        response.then().statusCode(200).contentType("application/zip");
        Map<String, byte[]> files = unzip(response.asByteArray());

        byte[] manifestBytes = files.get("manifest.json");
        JsonObject manifest = new JsonObject(new String(manifestBytes, StandardCharsets.UTF_8));
        assertEquals(tenant.toString(), manifest.getString("tenant_id"));
        JsonArray services = manifest.getJsonArray("services");
        assertEquals(seeded.size(), services.size());
        for (int i = 0; i < services.size(); i++) {
            JsonObject entry = services.getJsonObject(i);
            String service = entry.getString("service");
            byte[] file = files.get(entry.getString("file"));
            assertEquals(service + ".ndjson", entry.getString("file"));
            assertEquals(sha256(file), entry.getString("sha256"), service + ": the manifest names the file's hash");
            Map<String, Long> counts = new LinkedHashMap<>();
            entry.getJsonObject("counts").forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).longValue()));
            assertEquals(seeded.get(service), counts, service);
            String[] lines = new String(file, StandardCharsets.UTF_8).split("\n");
            assertEquals(counts.values().stream().mapToLong(Long::longValue).sum() + 1, lines.length, service + ": a line per row and the summary");
            assertEquals(entry.getLong("total_rows"), lines.length - 1L);
        }
        assertEquals(List.of("alert-processor.ndjson", "external-service.ndjson", "pos-service.ndjson", "manifest.json", "manifest.jws")
                .stream().sorted().toList(), files.keySet().stream().sorted().toList());

        String jwks = given().get("/api/v1/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256));
        jws.setCompactSerialization(new String(files.get("manifest.jws"), StandardCharsets.US_ASCII));
        jws.setKey(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()).resolveKey(jws, List.of()));
        assertTrue(jws.verifySignature(), "the manifest's JWS verifies with the JWKS");
        assertEquals(TenantArchive.MANIFEST_TYPE, jws.getHeader("typ"));
        assertArrayEquals(manifestBytes, jws.getPayloadBytes(), "the JWS signs the manifest's very bytes");
    }

    @Test
    void aServiceThatBreaksOffMidExportBreaksTheDownload() throws Exception {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(service -> fake.seed(service, tenant, 3_000));
        fake.behaviour("external-service", tenant).exportBreaksAfter(1_000);

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/tenants/" + tenant + "/export"))
                .header("Authorization", "Bearer " + TestTokens.service()).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), "the archive had started");
        assertThrows(IOException.class, () -> {
            try (InputStream body = response.body()) {
                body.readAllBytes();
            }
        }, "the client sees the download fail, never a short archive that ends cleanly");
    }

    @Test
    void onlyServiceTokensAndTheTenantsOwnerMayExport() {
        UUID tenant = UUID.randomUUID();
        given().header("Authorization", "Bearer " + TestTokens.user("admin", tenant)).get("/api/v1/tenants/" + tenant + "/export")
                .then().statusCode(403).body("error", equalTo("forbidden"));
        given().header("Authorization", "Bearer " + TestTokens.user("owner", UUID.randomUUID())).get("/api/v1/tenants/" + tenant + "/export")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.service()).get("/api/v1/tenants/not-a-uuid/export")
                .then().statusCode(400).body("error", equalTo("invalid_tenant_id"));
    }

    /** Export, then erase: the job names the export's manifest hash, shows it, and its certificate signs it. */
    @Test
    void aJobNamesTheExportItFollowsAndItsCertificateSignsTheHash() throws Exception {
        UUID tenant = UUID.randomUUID();
        FakeServices.TABLES.keySet().forEach(service -> fake.seed(service, tenant, 20));
        byte[] archive = given().header("Authorization", "Bearer " + TestTokens.service()).get("/api/v1/tenants/" + tenant + "/export")
                .then().statusCode(200).extract().asByteArray();
        String manifestSha = sha256(unzip(archive).get("manifest.json"));

        for (String bad : List.of("\"abc\"", "\"" + manifestSha.substring(1) + "\"", "\"" + manifestSha.replace('a', 'g') + "g\"", "42")) {
            Api.assertError("export_sha256 " + bad, 400, "invalid_request", Api.submit(TestTokens.service(),
                    "{\"tenant_id\":\"" + tenant + "\",\"grace_period\":\"PT0S\",\"export_sha256\":" + bad + "}"));
        }
        String jobId = Api.submit(TestTokens.service(), "{\"tenant_id\":\"" + tenant + "\",\"grace_period\":\"PT0S\",\"export_sha256\":\""
                + manifestSha.toUpperCase() + "\"}").then().statusCode(202).body("export_sha256", equalTo(manifestSha))
                .extract().jsonPath().getString("job_id");
        Response done = Api.awaitFinal(TestTokens.service(), jobId, java.time.Duration.ofSeconds(20));
        assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        assertEquals(manifestSha, done.jsonPath().getString("export_sha256"));
        Response certificate = Api.certificate(TestTokens.service(), jobId);
        certificate.then().statusCode(200);
        assertEquals(manifestSha, certificate.jsonPath().getString("claims.export_sha256"), "the certificate binds the export to the erasure");
    }

    private static Map<String, byte[]> unzip(byte[] archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), zip.readAllBytes());
            }
        }
        // the central directory too: java.util.zip.ZipFile reads only through it
        java.nio.file.Path copy = java.nio.file.Files.createTempFile("export", ".zip");
        try {
            java.nio.file.Files.write(copy, archive);
            try (java.util.zip.ZipFile whole = new java.util.zip.ZipFile(copy.toFile())) {
                assertEquals(files.size(), whole.size(), "the central directory lists every entry");
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    try (InputStream in = whole.getInputStream(whole.getEntry(file.getKey()))) {
                        assertArrayEquals(file.getValue(), in.readAllBytes(), file.getKey());
                    }
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(copy);
        }
        return files;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
