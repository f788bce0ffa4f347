package dev.tenantdeletion.orchestrator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tenantdeletion.deletion.access.Caller;
import dev.tenantdeletion.deletion.error.ApiException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The admin rule for the one operation without an endpoint on this branch yet: a re-verification run
 * ({@code POST /api/v1/reverifications}). Every operation with an endpoint is in rest/AccessPolicyTableTest, over HTTP.
 */
class OrchestratorAccessTest {

    private static final UUID TENANT = UUID.randomUUID();

    @Test
    void aReverificationRunNeedsAServiceTokenWithTheAdminScope() {
        OrchestratorAccess.requireReverify(new Caller("ops", true, null, null, Set.of(Caller.ADMIN_SCOPE)));
        OrchestratorAccess.requireReverify(new Caller("ops", true, null, null, Set.of("openid", Caller.ADMIN_SCOPE)));

        Map<String, Caller> refused = Map.of(
                "service without scope", new Caller("ops", true, null, null, Set.of()),
                "service with another scope", new Caller("ops", true, null, null, Set.of("deletion:read")),
                "owner with the scope", new Caller("u", false, "owner", TENANT, Set.of(Caller.ADMIN_SCOPE)),
                "admin with the scope", new Caller("u", false, "admin", TENANT, Set.of(Caller.ADMIN_SCOPE)),
                "no type with the scope", new Caller("u", false, null, null, Set.of(Caller.ADMIN_SCOPE)));
        refused.forEach((kind, caller) -> {
            ApiException e = assertThrows(ApiException.class, () -> OrchestratorAccess.requireReverify(caller), kind);
            assertEquals(403, e.status(), kind);
            assertEquals("forbidden", e.error(), kind);
        });
        assertEquals("a re-verification run needs scope deletion:admin, which this service token does not carry",
                assertThrows(ApiException.class, () -> OrchestratorAccess.requireReverify(refused.get("service without scope"))).getMessage());
        assertEquals("a re-verification run needs a service token with scope deletion:admin",
                assertThrows(ApiException.class, () -> OrchestratorAccess.requireReverify(refused.get("owner with the scope"))).getMessage());
    }
}
