package dev.tenantdeletion.orchestrator.access;

import static dev.tenantdeletion.deletion.access.AccessPolicy.forbidden;
import static dev.tenantdeletion.deletion.access.AccessPolicy.serviceOrUserOf;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import java.util.UUID;

/**
 * Who may do what in the orchestrator (the contract's "Who:" lines): every rule of every endpoint, in this one place,
 * decided from the token alone. Three kinds of rule:
 * <ul>
 * <li>tenant operations: a service token, or a user with the named roles in exactly that tenant;</li>
 * <li>service operations: a service token;</li>
 * <li>admin operations — legal holds (place, replace, lift), execute-now, re-verification runs: a service token with
 * scope {@value Caller#ADMIN_SCOPE}. Without the scope a service token is refused (the orchestrator's own outbound tokens,
 * which every registered service receives, carry none), and a user's scope counts for nothing.</li>
 * </ul>
 * Where a job must be looked up first, a {@code requireSome…} check runs before the look-up, so a token that may do the
 * operation for no tenant at all learns nothing about the job (not even whether it exists).
 */
public final class OrchestratorAccess {

    private OrchestratorAccess() {
    }

    /** A new job: service tokens, or the owner of that very tenant. */
    public static void requireCreate(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner")) {
            throw forbidden("a deletion job needs a service token or the owner of this tenant");
        }
    }

    /** The export of a tenant's data: service tokens, or the owner of that very tenant. */
    public static void requireExport(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner")) {
            throw forbidden("exporting tenant data needs a service token or the owner of this tenant");
        }
    }

    /** Reading a tenant's jobs (one, a list, a job's certificate): service tokens, owners and admins of that tenant. */
    public static void requireRead(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner", "admin")) {
            throw forbidden("deletion jobs of this tenant need a service token or an owner/admin of the tenant");
        }
    }

    /** Anyone who may read some tenant's jobs: checked before a job is looked up. */
    public static void requireSomeRead(Caller caller) {
        if (!serviceOrUserOf(caller, caller.tenantId(), "owner", "admin")) {
            throw forbidden("deletion jobs need a service token or an owner/admin of the job's tenant");
        }
    }

    /**
     * The tenant a list is restricted to: what was asked for (checked), or, for a user who did not say,
     * the user's own tenant. A service listing without a tenant sees every job.
     */
    public static UUID listScope(Caller caller, UUID requested) {
        if (caller.service()) {
            return requested;
        }
        UUID tenant = requested != null ? requested : caller.tenantId();
        if (tenant == null) {
            throw forbidden("listing deletion jobs needs a service token or an owner/admin of a tenant");
        }
        requireRead(caller, tenant);
        return tenant;
    }

    /** Retrying: service tokens only. */
    public static void requireRetry(Caller caller) {
        if (!caller.service()) {
            throw forbidden("retrying a deletion job needs a service token");
        }
    }

    /** Cancelling: service tokens, or the owner of the job's tenant. */
    public static void requireCancel(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner")) {
            throw forbidden("cancelling a deletion job needs a service token or the owner of the job's tenant");
        }
    }

    /** Anyone who may cancel some tenant's jobs: checked before the job is looked up. */
    public static void requireSomeCancel(Caller caller) {
        if (!serviceOrUserOf(caller, caller.tenantId(), "owner")) {
            throw forbidden("cancelling a deletion job needs a service token or the owner of the job's tenant");
        }
    }

    /** Executing a scheduled job now (it skips the tenant's grace period): an admin operation. */
    public static void requireExecuteNow(Caller caller) {
        requireAdmin(caller, "executing a deletion job now");
    }

    /** Placing a legal hold, or replacing the one in place: an admin operation. */
    public static void requirePlaceHold(Caller caller) {
        requireAdmin(caller, "placing a legal hold");
    }

    /** Lifting a legal hold: an admin operation. */
    public static void requireLiftHold(Caller caller) {
        requireAdmin(caller, "lifting a legal hold");
    }

    /** Reading a tenant's legal hold: service tokens, owners and admins of that tenant. */
    public static void requireReadHold(Caller caller, UUID tenant) {
        if (!serviceOrUserOf(caller, tenant, "owner", "admin")) {
            throw forbidden("a tenant's legal hold needs a service token or an owner/admin of the tenant");
        }
    }

    /** The aggregated preview: whoever may see a service's preview of the tenant (the services' own rule). */
    public static void requirePreview(Caller caller, UUID tenant) {
        AccessPolicy.requirePreview(caller, tenant);
    }

    /** Starting a re-verification run ({@code POST /api/v1/reverifications}): an admin operation. */
    public static void requireReverify(Caller caller) {
        requireAdmin(caller, "a re-verification run");
    }

    /** A service token with scope deletion:admin; the 403 says which of the two is missing. */
    private static void requireAdmin(Caller caller, String operation) {
        if (!caller.service()) {
            throw forbidden(operation + " needs a service token with scope " + Caller.ADMIN_SCOPE);
        }
        if (!caller.hasScope(Caller.ADMIN_SCOPE)) {
            throw forbidden(operation + " needs scope " + Caller.ADMIN_SCOPE + ", which this service token does not carry");
        }
    }
}
