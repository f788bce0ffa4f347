package dev.tenantdeletion.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * RSA key pairs as PEM files, as an operator writes them ({@code openssl genpkey} / {@code pkey -pubout}): the
 * applications read keys from files, so tests hand them files too. Used for the token key pair ({@link TestKeys}) and for
 * any other key a test needs (the orchestrator's certificate keys).
 */
public final class PemKeyFiles {

    private PemKeyFiles() {
    }

    /** {@code dir}/private.pem (PKCS#8) and {@code dir}/public.pem of one 2048-bit pair, generated on first use. */
    public static synchronized Path pairIn(Path dir) {
        if (Files.exists(dir.resolve("private.pem")) && Files.exists(dir.resolve("public.pem"))) {
            return dir;
        }
        KeyPair pair = generate(2048);
        write(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        write(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return dir;
    }

    /** {@code file}: a fresh PKCS#8 private key of {@code bits} bits, generated on first use. */
    public static synchronized Path privateKeyOfBits(Path file, int bits) {
        if (!Files.exists(file)) {
            write(file, pem("PRIVATE KEY", generate(bits).getPrivate().getEncoded()));
        }
        return file;
    }

    public static KeyPair generate(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Written to a temporary file and moved: a reader (another test JVM, a packaged app) never sees half a key. */
    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
