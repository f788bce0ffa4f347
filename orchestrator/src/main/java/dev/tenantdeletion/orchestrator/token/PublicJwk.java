package dev.tenantdeletion.orchestrator.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public half of an RS256 signing key of the orchestrator as a JWK (RFC 7517), with a stable key id: its
 * RFC 7638 thumbprint (SHA-256 over the required members {@code e}, {@code kty}, {@code n} in that order,
 * without whitespace). The same key always has the same {@code kid}, on every replica and after restarts.
 */
public record PublicJwk(String kid, String n, String e) {

    public static PublicJwk of(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new IllegalStateException("the signing key is not an RSA private key with its public exponent (PKCS#8 RSA expected)");
        }
        return of(rsa.getModulus(), rsa.getPublicExponent());
    }

    /** A public key on its own: a retired certificate key, which has the same kid as when it signed. */
    public static PublicJwk of(RSAPublicKey key) {
        return of(key.getModulus(), key.getPublicExponent());
    }

    private static PublicJwk of(BigInteger modulus, BigInteger exponent) {
        String n = base64Url(unsigned(modulus));
        String e = base64Url(unsigned(exponent));
        return new PublicJwk(thumbprint(n, e), n, e);
    }

    /** The JWK as served in the JWKS. */
    public Map<String, Object> asMap() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", n);
        jwk.put("e", e);
        return jwk;
    }

    static String thumbprint(String n, String e) {
        String canonical = "{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}";
        try {
            return base64Url(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Big-endian, without the sign byte BigInteger adds (RFC 7518 6.3.1: no leading zero octets). */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
