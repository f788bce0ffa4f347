package dev.tenantdeletion.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static synchronized void ensure() {
        if (Files.exists(DIR.resolve("public.pem")) && Files.exists(DIR.resolve("private.pem"))) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            KeyPair pair = generate();
            write("private.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write("public.pem", pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String name, String content) throws IOException {
        Path tmp = Files.createTempFile(DIR, name, ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, DIR.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }
}
