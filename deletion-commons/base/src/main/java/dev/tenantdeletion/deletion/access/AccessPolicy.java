package dev.tenantdeletion.deletion.access;

import dev.tenantdeletion.deletion.error.ApiException;
import java.util.UUID;

/** Who may do what to a tenant's data in a service (the contract's "Who:" lines). */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /** Previews: service tokens, and owners/admins of that very tenant (never of another one). */
    public static void requirePreview(Caller caller, UUID tenant) {
        if (!caller.service() && !caller.isUserOf(tenant, "owner", "admin")) {
            throw forbidden("preview needs a service token or an owner/admin of this tenant");
        }
    }

    /** Deletion: service tokens only. */
    public static void requireDelete(Caller caller) {
        if (!caller.service()) {
            throw forbidden("deleting tenant data needs a service token");
        }
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }
}
