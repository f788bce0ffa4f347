package dev.tenantdeletion.orchestrator.support;

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
 * Certificate key pairs of their own (apart from the token key pair of deletion-base's TestKeys), kept as PEM files under
 * target/test-keys/&lt;name&gt;/ as an operator would write them ({@code openssl genpkey} / {@code pkey -pubout}): the
 * application reads them from files, the tests compare with the same files.
 */
public final class CertificateKeyPairs {

    private static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();

    private CertificateKeyPairs() {
    }

    /** The PKCS#8 PEM private key of the pair {@code name}, generated on first use. */
    public static Path privateKeyFile(String name) {
        return ensure(name).resolve("private.pem");
    }

    /** The PEM public key of the pair {@code name}. */
    public static Path publicKeyFile(String name) {
        return ensure(name).resolve("public.pem");
    }

    /** A PEM file holding a fresh RSA private key of {@code bits} bits (for keys the settings must refuse). */
    public static Path privateKeyOfBits(String name, int bits) {
        Path file = DIR.resolve(name + "-" + bits + ".pem");
        if (!Files.exists(file)) {
            write(file, pem("PRIVATE KEY", generate(bits).getPrivate().getEncoded()));
        }
        return file;
    }

    private static synchronized Path ensure(String name) {
        Path dir = DIR.resolve(name);
        if (Files.exists(dir.resolve("private.pem")) && Files.exists(dir.resolve("public.pem"))) {
            return dir;
        }
        KeyPair pair = generate(2048);
        write(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        write(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return dir;
    }

    private static KeyPair generate(int bits) {
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

    /** Written to a temporary file and moved: a reader never sees half a key. */
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
