package dev.tenantdeletion.deletion.access;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, read from a verified token's claims: a service, or a user with a role in one tenant, and the
 * token's scopes. A token without a known {@code type} has no rights at all. Who may do what is decided by each
 * app's one policy ({@link AccessPolicy} in the services), never here.
 */
public record Caller(String subject, boolean service, String role, UUID tenantId, Set<String> scopes) {

    /** The scope a service token needs for the orchestrator's admin operations (legal holds, execute-now, re-verification). */
    public static final String ADMIN_SCOPE = "deletion:admin";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public static Caller of(JsonWebToken token) {
        String type = text(token.getClaim("type"));
        String role = text(token.getClaim("role"));
        UUID tenant = Optional.ofNullable(text(token.getClaim("tenant_id"))).flatMap(Uuids::canonical).orElse(null);
        boolean user = "user".equals(type);
        return new Caller(token.getSubject(), "service".equals(type), user ? role : null, user ? tenant : null,
                scopes(token.getClaim("scope")));
    }

    /** A user whose role is one of {@code roles} in exactly {@code tenant}. */
    public boolean isUserOf(UUID tenant, String... roles) {
        if (role == null || tenantId == null || !tenantId.equals(tenant)) {
            return false;
        }
        for (String allowed : roles) {
            if (allowed.equals(role)) {
                return true;
            }
        }
        return false;
    }

    /** The token's {@code scope} names {@code scope} (exactly: scopes are case-sensitive, RFC 6749 section 3.3). */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The token's {@code sub}, as recorded with what the caller did; "unknown" for a token without one. */
    public String subjectOrUnknown() {
        return subject == null ? "unknown" : subject;
    }

    /**
     * The {@code scope} claim: a space-separated string (RFC 8693, the contract), or — tolerated, as some issuers
     * send it — an array of strings. Anything else grants no scope.
     */
    static Set<String> scopes(Object claim) {
        Set<String> scopes = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            array.forEach(value -> addWords(scopes, text(value)));
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> addWords(scopes, text(value)));
        } else {
            addWords(scopes, text(claim));
        }
        return scopes;
    }

    private static void addWords(Set<String> scopes, String words) {
        if (words == null) {
            return;
        }
        for (String word : words.split(" ")) {
            if (!word.isEmpty()) {
                scopes.add(word);
            }
        }
    }

    /** A string claim's text; null for anything that is not a string. */
    private static String text(Object value) {
        // JSON string claims arrive as jakarta.json.JsonString, whose toString() keeps the quotes
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value == null || value instanceof JsonValue || value instanceof Collection<?>) {
            return null;
        }
        return value.toString();
    }
}
