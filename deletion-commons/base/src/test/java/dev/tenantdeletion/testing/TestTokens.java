package dev.tenantdeletion.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Mints the tokens the tests need, good and bad. Signing is done by hand so that tokens no library would
 * produce (alg none, no exp, HS256 keyed with the public key) can be made too.
 *
 * <p>Every token names an audience ({@code aud}): unless a test names one ({@link #serviceFor}), the app under test,
 * {@link #defaultAudience()}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://tenant-deletion.test";
    /**
     * The system property naming the default audience where the app's configuration is not at hand: the parent pom
     * sets it to the module's artifactId for surefire and failsafe (an app's artifactId is its service name).
     */
    public static final String AUDIENCE_PROPERTY = "test-tokens.audience";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TestTokens() {
    }

    public static String service() {
        return service("auth-service");
    }

    public static String service(String subject) {
        return rs256(claims(subject, "service", null, null));
    }

    public static String user(String role, UUID tenant) {
        return rs256(claims("user-" + role, "user", role, tenant));
    }

    public static String withoutType() {
        return rs256(claims("someone", null, null, null));
    }

    public static String expired() {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("iat", now() - 3600);
        claims.put("exp", now() - 1800);
        return rs256(claims);
    }

    public static String notYetValid() {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("nbf", now() + 1800);
        return rs256(claims);
    }

    /** A service token whose exp passed {@code seconds} ago (the contract allows at most 5 s of leeway). */
    public static String expiredSecondsAgo(long seconds) {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("iat", now() - 300);
        claims.put("exp", now() - seconds);
        return rs256(claims);
    }

    /** A service token whose nbf is {@code seconds} ahead. */
    public static String notBeforeSecondsAhead(long seconds) {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("nbf", now() + seconds);
        return rs256(claims);
    }

    public static String withoutExpiry() {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.remove("exp");
        return rs256(claims);
    }

    public static String wrongIssuer() {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("iss", "https://somebody-else.example");
        return rs256(claims);
    }

    public static String wrongSignature() {
        return sign("RS256", claims("auth-service", "service", null, null), TestKeys.generate().getPrivate());
    }

    public static String algNone() {
        return encode(Map.of("alg", "none", "typ", "JWT")) + "." + encode(claims("auth-service", "service", null, null)) + ".";
    }

    /** The classic key-confusion attack: HS256 with the server's public key as the HMAC secret. */
    public static String hs256WithPublicKey() {
        try {
            String signingInput = encode(Map.of("alg", "HS256", "typ", "JWT")) + "."
                    + encode(claims("auth-service", "service", null, null));
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] secret = java.nio.file.Files.readAllBytes(TestKeys.publicKeyFile());
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String malformed() {
        return "this-is.not-a.jwt";
    }

    /**
     * The audience of the app under test. In a {@code @QuarkusTest} the test runs inside the application, so the
     * app's own {@code mp.jwt.verify.audiences} (test profiles and MP_JWT_VERIFY_AUDIENCES included) is read through
     * {@link ConfigProvider}. A {@code @QuarkusIntegrationTest} runs in another JVM than its app, where that setting
     * ({@code ${quarkus.application.name}}) does not resolve: there the {@value #AUDIENCE_PROPERTY} system property
     * the poms set. The platform tests set none, as they call several processes: they name the audience every time.
     */
    public static String defaultAudience() {
        try {
            Optional<String> configured = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.audiences", String.class);
            if (configured.isPresent() && !configured.get().isBlank()) {
                return configured.get().split(",")[0].strip();
            }
        } catch (RuntimeException unresolved) {
            // no application configuration in this JVM (an integration test): the system property says it
        }
        String property = System.getProperty(AUDIENCE_PROPERTY, "");
        if (property.isBlank()) {
            throw new IllegalStateException("no default token audience here: name it (TestTokens.serviceFor(\"pos-service\"), ...)"
                    + " or set the system property " + AUDIENCE_PROPERTY);
        }
        return property.strip();
    }

    /** A service token for the process whose audience is {@code audience} (e.g. "orchestrator", "pos-service"). */
    public static String serviceFor(String audience) {
        return rs256(claimsFor(audience, "auth-service", "service", null, null));
    }

    /** A user token for the process whose audience is {@code audience}. */
    public static String userFor(String audience, String role, UUID tenant) {
        return rs256(claimsFor(audience, "user-" + role, "user", role, tenant));
    }

    /** A service token whose {@code aud} is a JSON array of these audiences. */
    public static String serviceForAudiences(String... audiences) {
        Map<String, Object> claims = unaddressedClaims("auth-service", "service", null, null);
        claims.put("aud", List.of(audiences));
        return rs256(claims);
    }

    /** The claims of a token for the process whose audience is {@code audience}, for a test to add to (then {@link #rs256}). */
    public static Map<String, Object> claimsFor(String audience, String subject, String type, String role, UUID tenant) {
        Map<String, Object> claims = unaddressedClaims(subject, type, role, tenant);
        claims.put("aud", audience);
        return claims;
    }

    /** A service token without {@code aud}: good for nobody. */
    public static String withoutAudience() {
        return rs256(unaddressedClaims("auth-service", "service", null, null));
    }

    /** The claims of a token for the app under test ({@code aud}: {@link #defaultAudience()}). */
    public static Map<String, Object> claims(String subject, String type, String role, UUID tenant) {
        Map<String, Object> claims = unaddressedClaims(subject, type, role, tenant);
        claims.put("aud", defaultAudience());
        return claims;
    }

    private static Map<String, Object> unaddressedClaims(String subject, String type, String role, UUID tenant) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("iat", now());
        claims.put("exp", now() + 300);
        if (type != null) {
            claims.put("type", type);
        }
        if (role != null) {
            claims.put("role", role);
        }
        if (tenant != null) {
            claims.put("tenant_id", tenant.toString());
        }
        return claims;
    }

    public static String rs256(Map<String, Object> claims) {
        return sign("RS256", claims, TestKeys.privateKey());
    }

    private static String sign(String alg, Map<String, Object> claims, PrivateKey key) {
        try {
            String signingInput = encode(Map.of("alg", alg, "typ", "JWT")) + "." + encode(claims);
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    // Scopes (contract, third edition): the orchestrator's admin operations need a service token with scope deletion:admin.

    /** The scope of the orchestrator's admin operations: legal holds, execute-now, re-verification runs. */
    public static final String ADMIN_SCOPE = "deletion:admin";

    /** A service token with scope deletion:admin (sub auth-service). */
    public static String adminService() {
        return adminService("auth-service");
    }

    /** A service token with scope deletion:admin. */
    public static String adminService(String subject) {
        Map<String, Object> claims = claims(subject, "service", null, null);
        claims.put("scope", ADMIN_SCOPE);
        return rs256(claims);
    }

    /** A service token whose scope claim is {@code scope}, as given (space-separated scopes). */
    public static String serviceWithScope(String scope) {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("scope", scope);
        return rs256(claims);
    }

    /** A service token whose scope claim is a JSON array of {@code scopes} (tolerated next to the standard string). */
    public static String serviceWithScopeArray(String... scopes) {
        Map<String, Object> claims = claims("auth-service", "service", null, null);
        claims.put("scope", List.of(scopes));
        return rs256(claims);
    }

    /** A user token carrying scope {@code scope}: a scope gives a user no right a service token would need. */
    public static String userWithScope(String role, UUID tenant, String scope) {
        Map<String, Object> claims = claims("user-" + role, "user", role, tenant);
        claims.put("scope", scope);
        return rs256(claims);
    }

    /** A token without a type claim carrying scope {@code scope}: a scope alone gives no right. */
    public static String withoutTypeWithScope(String scope) {
        Map<String, Object> claims = claims("someone", null, null, null);
        claims.put("scope", scope);
        return rs256(claims);
    }

    /**
     * The token kinds of the access tables (services' {@code AccessPolicySuite}, the orchestrator's
     * {@code AccessPolicyTableTest}), by the row label the tables use: one list, so both tables ask the same callers.
     * Each mints the row's token for the tenant of the cell.
     */
    public static Map<String, Function<UUID, String>> accessKinds() {
        Map<String, Function<UUID, String>> kinds = new LinkedHashMap<>();
        kinds.put("service, no scope", tenant -> service());
        kinds.put("service, another scope", tenant -> serviceWithScope("deletion:read"));
        kinds.put("service, scope deletion:admin", tenant -> adminService());
        kinds.put("service, deletion:admin among others", tenant -> serviceWithScope("openid deletion:admin profile"));
        kinds.put("service, scope as a JSON array", tenant -> serviceWithScopeArray("deletion:read", ADMIN_SCOPE));
        kinds.put("owner of the tenant", tenant -> user("owner", tenant));
        kinds.put("owner of the tenant, scope deletion:admin", tenant -> userWithScope("owner", tenant, ADMIN_SCOPE));
        kinds.put("admin of the tenant", tenant -> user("admin", tenant));
        kinds.put("member of the tenant", tenant -> user("member", tenant));
        kinds.put("owner of another tenant", tenant -> user("owner", UUID.randomUUID()));
        kinds.put("admin of another tenant", tenant -> user("admin", UUID.randomUUID()));
        kinds.put("no type claim", tenant -> withoutType());
        kinds.put("no type claim, scope deletion:admin", tenant -> withoutTypeWithScope(ADMIN_SCOPE));
        return Collections.unmodifiableMap(kinds);
    }
}
