package dev.tenantdeletion.deletion.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.TestKeys;
import dev.tenantdeletion.testing.TestTokens;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The caller as read from tokens verified by SmallRye JWT itself, so the claims arrive in the types the apps see. */
class CallerTest {

    private final DefaultJWTParser parser = new DefaultJWTParser(new JWTAuthContextInfo(TestKeys.publicKey(), TestTokens.ISSUER));

    private Caller caller(String token) throws ParseException {
        return Caller.of(parser.parse(token));
    }

    private Caller withScope(Object scope) throws ParseException {
        Map<String, Object> claims = TestTokens.claims("auth-service", "service", null, null);
        claims.put("scope", scope);
        return caller(TestTokens.rs256(claims));
    }

    @Test
    void theScopeClaimIsASpaceSeparatedString() throws ParseException {
        Caller admin = caller(TestTokens.adminService());
        assertTrue(admin.service());
        assertTrue(admin.hasScope(Caller.ADMIN_SCOPE));
        assertEquals(Set.of("deletion:admin"), admin.scopes());

        Caller several = withScope("  openid deletion:admin   profile ");
        assertEquals(Set.of("openid", "deletion:admin", "profile"), several.scopes());
        assertTrue(several.hasScope(Caller.ADMIN_SCOPE));
    }

    @Test
    void anArrayOfScopesIsTolerated() throws ParseException {
        Caller caller = caller(TestTokens.serviceWithScopeArray("deletion:read", "deletion:admin"));
        assertEquals(Set.of("deletion:read", "deletion:admin"), caller.scopes());
        assertTrue(caller.hasScope(Caller.ADMIN_SCOPE));
        assertTrue(withScope(List.of("openid deletion:admin")).hasScope(Caller.ADMIN_SCOPE), "an array entry may hold several scopes");
    }

    @Test
    void onlyTheExactScopeCounts() throws ParseException {
        for (String scope : List.of("deletion:read", "Deletion:Admin", "deletion:admin-read", "deletion", "deletion:admin,openid", "")) {
            assertFalse(caller(TestTokens.serviceWithScope(scope)).hasScope(Caller.ADMIN_SCOPE), scope);
        }
        assertFalse(caller(TestTokens.service()).hasScope(Caller.ADMIN_SCOPE));
        assertEquals(Set.of(), caller(TestTokens.service()).scopes());
        // a scope claim of another JSON type grants nothing
        assertEquals(Set.of(), withScope(42).scopes());
        assertEquals(Set.of(), withScope(Map.of("deletion:admin", true)).scopes());
        assertEquals(Set.of(), withScope(true).scopes());
    }

    @Test
    void aUserKeepsRoleAndTenantAndItsScopeIsReadButIsNoService() throws ParseException {
        UUID tenant = UUID.randomUUID();
        Caller user = caller(TestTokens.userWithScope("owner", tenant, Caller.ADMIN_SCOPE));
        assertFalse(user.service());
        assertTrue(user.isUserOf(tenant, "owner"));
        assertFalse(user.isUserOf(UUID.randomUUID(), "owner"));
        assertTrue(user.hasScope(Caller.ADMIN_SCOPE), "read faithfully: the policies decide that a user's scope counts for nothing");
    }

    @Test
    void theSubjectOrUnknown() throws ParseException {
        assertEquals("legal-service", caller(TestTokens.adminService("legal-service")).subjectOrUnknown());
        Map<String, Object> claims = TestTokens.claims("x", "service", null, null);
        claims.remove("sub");
        // SmallRye JWT refuses a token that names nobody at all; one named by upn only has no sub
        claims.put("upn", "someone@example.test");
        Caller anonymous = caller(TestTokens.rs256(claims));
        assertNull(anonymous.subject());
        assertEquals("unknown", anonymous.subjectOrUnknown());
    }
}
