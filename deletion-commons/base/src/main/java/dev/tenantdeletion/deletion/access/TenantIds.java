package dev.tenantdeletion.deletion.access;

import dev.tenantdeletion.deletion.error.ApiException;
import java.util.UUID;

/**
 * Tenant ids are UUIDs in canonical 36-character hyphenated form ({@link Uuids#canonical}); upper-case hex is
 * the same tenant. Braces, "urn:uuid:", missing hyphens and anything else are refused before any query runs.
 */
public final class TenantIds {

    private TenantIds() {
    }

    /** The tenant id, or 400 invalid_tenant_id. */
    public static UUID parse(String raw) {
        return Uuids.canonical(raw).orElseThrow(() -> new ApiException(400, "invalid_tenant_id",
                "tenant id must be a UUID in canonical form, e.g. 3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b"));
    }
}
