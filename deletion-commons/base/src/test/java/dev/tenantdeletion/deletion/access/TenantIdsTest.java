package dev.tenantdeletion.deletion.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.error.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TenantIdsTest {

    @Test
    void onlyCanonicalUuidsAreUuids() {
        UUID id = UUID.fromString("3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b");
        assertEquals(Optional.of(id), Uuids.canonical("3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b"));
        assertEquals(Optional.of(id), Uuids.canonical("3F2B6C1E-8A4D-4E0F-9B7A-2C5D8E1F0A3B"));
        // UUID.fromString alone would accept the short forms
        for (String bad : List.of("1-2-3-4-5", "{3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b}", "3f2b6c1e8a4d4e0f9b7a2c5d8e1f0a3b",
                "urn:uuid:3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", " 3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "", "x".repeat(36))) {
            assertTrue(Uuids.canonical(bad).isEmpty(), bad);
        }
    }

    @Test
    void aTenantIdThatIsNotCanonicalIsA400() {
        assertEquals(UUID.fromString("3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b"), TenantIds.parse("3F2B6C1E-8A4D-4E0F-9B7A-2C5D8E1F0A3B"));
        ApiException refused = assertThrows(ApiException.class, () -> TenantIds.parse("{3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b}"));
        assertEquals(400, refused.status());
        assertEquals("invalid_tenant_id", refused.error());
    }
}
