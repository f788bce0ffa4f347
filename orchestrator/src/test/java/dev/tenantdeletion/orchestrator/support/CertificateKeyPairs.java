package dev.tenantdeletion.orchestrator.support;

import dev.tenantdeletion.testing.PemKeyFiles;
import java.nio.file.Path;

/**
 * Certificate key pairs of their own (apart from the token key pair of deletion-base's TestKeys), kept as PEM files under
 * target/test-keys/&lt;name&gt;/ as an operator would write them: the application reads them from files, the tests
 * compare with the same files.
 */
public final class CertificateKeyPairs {

    private static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();

    private CertificateKeyPairs() {
    }

    /** The PKCS#8 PEM private key of the pair {@code name}, generated on first use. */
    public static Path privateKeyFile(String name) {
        return PemKeyFiles.pairIn(DIR.resolve(name)).resolve("private.pem");
    }

    /** The PEM public key of the pair {@code name}. */
    public static Path publicKeyFile(String name) {
        return PemKeyFiles.pairIn(DIR.resolve(name)).resolve("public.pem");
    }

    /** A PEM file holding a fresh RSA private key of {@code bits} bits (for keys the settings must refuse). */
    public static Path privateKeyOfBits(String name, int bits) {
        return PemKeyFiles.privateKeyOfBits(DIR.resolve(name + "-" + bits + ".pem"), bits);
    }
}
