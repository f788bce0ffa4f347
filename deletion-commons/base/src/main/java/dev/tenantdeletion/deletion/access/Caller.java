package dev.tenantdeletion.deletion.access;

import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, read from a verified token's claims: a service, or a user with a role in one tenant.
 * A token without a known {@code type} has no rights at all.
 */
public record Caller(String subject, boolean service, String role, UUID tenantId) {

    public static Caller of(JsonWebToken token) {
        String type = claim(token, "type");
        String role = claim(token, "role");
        UUID tenant = Optional.ofNullable(claim(token, "tenant_id")).flatMap(Uuids::canonical).orElse(null);
        boolean user = "user".equals(type);
        return new Caller(token.getSubject(), "service".equals(type), user ? role : null, user ? tenant : null);
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

    private static String claim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return null;
        }
        // JSON string claims arrive as jakarta.json.JsonString, whose toString() keeps the quotes
        return value instanceof jakarta.json.JsonString s ? s.getString() : value.toString();
    }
}
