package dev.tenantdeletion.deletion.access;

import dev.tenantdeletion.deletion.error.ApiException;
import java.util.UUID;

/**
 * Who may do what to a tenant's data in a service (the contract's "Who:" lines): every rule of the services' endpoints,
 * in this one place. No service operation needs a scope: a service token's scope neither adds nor takes a right here.
 * The orchestrator keeps its own rules in one class of its own, and shows the preview rule for its aggregated preview.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /** Previews: service tokens, and owners/admins of that very tenant (never of another one). */
    public static void requirePreview(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner", "admin")) {
            throw forbidden("preview needs a service token or an owner/admin of this tenant");
        }
    }

    /** Exports (a copy of all the tenant's data): service tokens, and the owner of that very tenant. */
    public static void requireExport(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner")) {
            throw forbidden("exporting tenant data needs a service token or the owner of this tenant");
        }
    }

    /** Deletion: service tokens only. */
    public static void requireDelete(Caller caller) {
        if (!caller.service()) {
            throw forbidden("deleting tenant data needs a service token");
        }
    }

    /** The deletion check (re-verification asks it): service tokens only, decided before the body is read. */
    public static void requireDeletionCheck(Caller caller) {
        if (!caller.service()) {
            throw forbidden("the deletion check needs a service token");
        }
    }

    /** The health checks' details (tables, constraints, connection errors), in every app: service tokens only. */
    public static void requireHealthDetails(Caller caller) {
        if (!caller.service()) {
            throw forbidden("the health details need a service token");
        }
    }

    /** A service token, or a user with one of {@code roles} in exactly {@code tenant}: the rule most reads follow. */
    public static boolean serviceOrUserOf(Caller caller, UUID tenant, String... roles) {
        return caller.service() || caller.isUserOf(tenant, roles);
    }

    /** 403 forbidden, the body every refusal of every app answers. */
    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }
}
