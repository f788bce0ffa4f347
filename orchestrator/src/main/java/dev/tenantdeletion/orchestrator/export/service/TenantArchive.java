package dev.tenantdeletion.orchestrator.export.service;

import dev.tenantdeletion.deletion.digest.Sha256Digests;
import dev.tenantdeletion.orchestrator.certificate.CertificateKeys;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.token.ServiceTokens;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The orchestrator's export of a tenant (contract, third edition): a ZIP streamed as it is made — each registered
 * service's NDJSON export as {@code <service>.ndjson}, one service after the other, then {@code manifest.json} and
 * {@code manifest.jws} (the manifest's bytes signed with the certificate key; the JWKS verifies it). Each service's
 * stream is read only as fast as the client takes the archive (the {@code Multi}'s demand reaches the service's
 * response), so no file is buffered. A service that fails, answers anything but 200, or whose export does not end in
 * its own matching summary fails the download: the archive then never gets its manifest or central directory.
 */
@ApplicationScoped
public class TenantArchive {

    public static final String MANIFEST_TYPE = "deletion-export-manifest+json";

    private final ServiceRegistry registry;
    private final ServiceTokens tokens;
    private final CertificateKeys keys;
    private final HttpClient http;
    private final Sha256Digests digests;

    public TenantArchive(ServiceRegistry registry, ServiceTokens tokens, CertificateKeys keys, Sha256Digests digests, Vertx vertx) {
        this.registry = registry;
        this.tokens = tokens;
        this.keys = keys;
        this.digests = digests;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(8));
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }

    /** The archive of {@code tenant}, in chunks; nothing is asked of a service before the client asks for bytes. */
    public Multi<byte[]> archive(UUID tenant) {
        Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ZipStream zip = new ZipStream(LocalDateTime.ofInstant(created, ZoneOffset.UTC));
        JsonArray services = new JsonArray();
        return Multi.createFrom().iterable(registry.services())
                .onItem().transformToMultiAndConcatenate(service -> file(zip, service, tenant, services))
                .onCompletion().switchTo(() -> Multi.createFrom().item(() -> manifest(zip, tenant, created, services)))
                .filter(bytes -> bytes.length > 0);
    }

    private Multi<byte[]> file(ZipStream zip, RegisteredService service, UUID tenant, JsonArray manifest) {
        return digests.digest().onItem().transformToMulti(digest -> {
            String fileName = service.name() + ".ndjson";
            ServiceExportFile file = new ServiceExportFile(service.name(), digest);
            Multi<byte[]> body = stream(service, tenant).map(chunk -> {
                byte[] bytes = chunk.getBytes();
                file.add(bytes);
                return zip.write(bytes);
            });
            return Multi.createBy().concatenating().streams(
                    Multi.createFrom().item(() -> zip.begin(fileName)),
                    body,
                    Multi.createFrom().item(() -> {
                        manifest.add(file.manifestEntry(fileName, tenant.toString()));
                        return zip.end();
                    }));
        });
    }

    /** GET {base}/tenant/{id}/export of one service, its body as it arrives (idle timeout: the service's call timeout). */
    private Multi<Buffer> stream(RegisteredService service, UUID tenant) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(service.exportUrl(tenant.toString()))
                .putHeader("Authorization", "Bearer " + tokens.forService(service)).putHeader("Accept", "application/x-ndjson")
                .setConnectTimeout(service.timeout().toMillis()).setIdleTimeout(service.timeout().toMillis());
        return http.request(request).chain(r -> r.send()).onItem().transformToMulti(response -> {
            if (response.statusCode() != 200) {
                return response.body().onItem().<Buffer>transformToMulti(body -> Multi.createFrom().failure(
                        new ServiceExportFile.IncompleteExport(service.name() + " answered " + response.statusCode() + " to the export")));
            }
            return ((HttpClientResponse) response).toMulti();
        }).onFailure().invoke(failure -> Log.errorf(failure, "export of tenant %s from %s failed", tenant, service.name()));
    }

    private byte[] manifest(ZipStream zip, UUID tenant, Instant created, JsonArray services) {
        byte[] manifest = new JsonObject().put("tenant_id", tenant.toString()).put("created_at", created.toString())
                .put("services", services).encodePrettily().getBytes(StandardCharsets.UTF_8);
        byte[] signature = sign(manifest).getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream();
        tail.writeBytes(zip.entry("manifest.json", manifest));
        tail.writeBytes(zip.entry("manifest.jws", signature));
        tail.writeBytes(zip.finish());
        Log.infof("export of tenant %s: %d services archived", tenant, services.size());
        return tail.toByteArray();
    }

    /** A compact JWS whose payload is exactly the manifest's bytes, RS256 with the certificate key (its kid). */
    private String sign(byte[] manifest) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayloadBytes(manifest);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(keys.current().kid());
        jws.setHeader("typ", MANIFEST_TYPE);
        jws.setKey(keys.signingKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("the manifest could not be signed", e);
        }
    }
}
