package dev.tenantdeletion.deletion.digest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ImageMode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The SHA-256 of exports (a service's summary line, the orchestrator's manifest). The JVM build runs C1 only
 * (deploy/jvm/java-options), and C1 has no SHA intrinsic: there the JDK's SHA-256 hashes 70-90 MB/s and was most of an
 * export's CPU; NSS, the platform's crypto library that Red Hat's OpenJDK packages require, reached through the JDK's own
 * SunPKCS11 provider, hashes 850-1,000 MB/s on the same machine (docs/benchmarks.md, "Export"). The digest is the same;
 * where NSS is absent (a native image, a distribution without it) or refuses, the JDK's own is used. Chosen when the
 * first export asks, so start-up never loads NSS; hashing is a JNI call per chunk (~150 KB), cheap on the event loop.
 */
@ApplicationScoped
public class Sha256Digests {

    static final String AUTO = "auto";
    static final String OFF = "off";
    /** Where {@code auto} looks for libsoftokn3.so: Red Hat (UBI, the images), Debian and Ubuntu on x86-64 and arm64. */
    static final List<Path> USUAL_DIRECTORIES = List.of(Path.of("/usr/lib64"), Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"));
    private static final String ALGORITHM = "SHA-256";

    /** NSS, once loaded in this JVM (null: it could not be), and from where. */
    private static Path configuredDirectory;
    private static Provider configuredProvider;

    private final String setting;
    /** Null until a digest is first asked for; then NSS' provider, or empty for the JDK's own. */
    private volatile Optional<Provider> provider;

    public Sha256Digests(ExportDigestSettings settings) {
        this.setting = settings.nssLibraryDirectory();
    }

    /**
     * A new SHA-256 digest (cloneable, as the JDK's is). The first one of the process looks for NSS, whose loading
     * takes ~0.1 s: on a worker thread, so the event loop never waits for it (the item then arrives there).
     */
    public Uni<MessageDigest> digest() {
        Uni<MessageDigest> digest = Uni.createFrom().item(this::newDigest);
        return provider != null ? digest : digest.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A new SHA-256 digest, at once; blocks for the NSS lookup if no digest was asked for before. */
    public MessageDigest newDigest() {
        Optional<Provider> chosen = provider;
        if (chosen == null) {
            chosen = Optional.ofNullable(nss(setting));
            provider = chosen;
            Log.infof("export hashes: SHA-256 by %s", chosen.map(Provider::getName).orElse("the JDK"));
        }
        try {
            return chosen.isEmpty() ? MessageDigest.getInstance(ALGORITHM) : MessageDigest.getInstance(ALGORITHM, chosen.get());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The provider that computes it (e.g. {@code SunPKCS11-ExportSha256} or {@code SUN}). */
    public String providerName() {
        return newDigest().getProvider().getName();
    }

    /** NSS for {@code setting} (a directory, {@link #AUTO} or {@link #OFF}), or null when it is off, absent or refuses. */
    static Provider nss(String setting) {
        // a native image compiles the JDK's SHA-256 ahead of time, and has no SunPKCS11 provider
        if (OFF.equals(setting) || ImageMode.current().isNativeImage()) {
            return null;
        }
        List<Path> candidates = AUTO.equals(setting) ? USUAL_DIRECTORIES : List.of(Path.of(setting));
        Optional<Path> directory = candidates.stream().filter(d -> Files.isReadable(d.resolve("libsoftokn3.so"))).findFirst();
        Provider pkcs11 = Security.getProvider("SunPKCS11");
        if (directory.isEmpty() || pkcs11 == null) {
            if (!AUTO.equals(setting)) {
                Log.warnf("deletion.export.nss-library-directory=%s: %s; the JDK's SHA-256 is used", setting,
                        directory.isEmpty() ? "no libsoftokn3.so there" : "this JVM has no SunPKCS11 provider");
            }
            return null;
        }
        return configured(directory.get(), pkcs11);
    }

    /**
     * NSS configured for {@code directory}, once per JVM: NSS' module can be loaded only once in a process, and a Quarkus
     * test run starts applications again in the same JVM.
     */
    private static synchronized Provider configured(Path directory, Provider pkcs11) {
        if (configuredDirectory == null) {
            configuredDirectory = directory;
            configuredProvider = configure(directory, pkcs11);
        } else if (!configuredDirectory.equals(directory)) {
            Log.warnf("NSS is already loaded from %s, not %s: that one is used", configuredDirectory, directory);
        }
        return configuredProvider;
    }

    private static Provider configure(Path directory, Provider pkcs11) {
        try {
            Provider provider = pkcs11.configure("--name = ExportSha256\nnssLibraryDirectory = \"" + directory
                    + "\"\nnssDbMode = noDb\n");
            byte[] probe = "tenant-deletion export".getBytes(StandardCharsets.UTF_8);
            // a library that loads but hashes differently must never sign an export
            if (!Arrays.equals(MessageDigest.getInstance(ALGORITHM, provider).digest(probe),
                    MessageDigest.getInstance(ALGORITHM).digest(probe))) {
                Log.warnf("NSS in %s computes a different SHA-256; the JDK's is used", directory);
                return null;
            }
            return provider;
        } catch (RuntimeException | NoSuchAlgorithmException e) {
            Log.warnf(e, "NSS in %s could not be used for SHA-256; the JDK's is used", directory);
            return null;
        }
    }
}
