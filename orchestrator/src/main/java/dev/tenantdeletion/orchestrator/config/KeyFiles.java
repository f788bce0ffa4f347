package dev.tenantdeletion.orchestrator.config;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/**
 * The RSA keys the settings name, read from PEM files (a {@code file:} prefix allowed). Blocking: called at start-up
 * only. Whatever is wrong — no file, not PEM, not RSA, a private key where a public one belongs — is an
 * {@link IllegalArgumentException} naming the setting and the file, so a replica with a bad key refuses to start.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** A PKCS#8 PEM RSA private key that carries its public half (needed for its JWK and kid). */
    public static RSAPrivateCrtKey privateKey(String location, String setting) {
        return decode(location, setting, RSAPrivateCrtKey.class, pem -> KeyUtils.decodePrivateKey(pem, SignatureAlgorithm.RS256),
                "a PKCS#8 PEM RSA private key (-----BEGIN PRIVATE KEY-----; convert a PKCS#1 key with openssl pkcs8 -topk8 -nocrypt)",
                "an RSA private key with its public exponent (PKCS#8 RSA expected)");
    }

    /** A PEM RSA public key (-----BEGIN PUBLIC KEY-----, as {@code openssl pkey -pubout} writes it). */
    public static RSAPublicKey publicKey(String location, String setting) {
        return decode(location, setting, RSAPublicKey.class, pem -> KeyUtils.decodePublicKey(pem, SignatureAlgorithm.RS256),
                "a PEM RSA public key (-----BEGIN PUBLIC KEY-----; openssl pkey -in private.pem -pubout writes one)",
                "an RSA public key");
    }

    private interface PemDecoder {
        Key decode(String pem) throws GeneralSecurityException;
    }

    private static <K> K decode(String location, String setting, Class<K> kind, PemDecoder decoder, String expected,
            String expectedKind) {
        String pem = read(location, setting);
        Key key;
        try {
            key = decoder.decode(pem);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": " + location + " is not " + expected + ": " + e.getMessage(), e);
        }
        if (!kind.isInstance(key)) {
            throw new IllegalArgumentException(setting + ": " + location + " is not " + expectedKind);
        }
        return kind.cast(key);
    }

    private static String read(String location, String setting) {
        String path = location.strip();
        path = path.startsWith("file:") ? path.substring("file:".length()) : path;
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": cannot read " + location + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }
}
