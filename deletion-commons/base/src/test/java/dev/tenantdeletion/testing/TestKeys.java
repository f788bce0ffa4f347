package dev.tenantdeletion.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The test key pair, kept as PEM files under target/test-keys so that the application (which reads the
 * public key from a file, as in production), the test code and a packaged jar all see the same keys,
 * whatever class loader they run in.
 */
public final class TestKeys {

    private static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();

    private TestKeys() {
    }

    public static Path publicKeyFile() {
        ensure();
        return DIR.resolve("public.pem");
    }

    public static Path privateKeyFile() {
        ensure();
        return DIR.resolve("private.pem");
    }

    static PrivateKey privateKey() {
        try {
            byte[] der = der(Files.readString(privateKeyFile()));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test private key", e);
        }
    }

    public static PublicKey publicKey() {
        try {
            byte[] der = der(Files.readString(publicKeyFile()));
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test public key", e);
        }
    }

    static KeyPair generate() {
        return PemKeyFiles.generate(2048);
    }

    private static void ensure() {
        PemKeyFiles.pairIn(DIR);
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }
}
