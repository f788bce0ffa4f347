package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.deletion.access.AccessPolicy;
import dev.tenantdeletion.deletion.access.Caller;
import java.util.UUID;

/** Who may do what with deletion jobs (the contract's "Who:" lines for the orchestrator). */
public final class JobAccess {

    private JobAccess() {
    }

    /** A new job: service tokens, or the owner of that very tenant. */
    public static void requireCreate(Caller caller, UUID tenant) {
        if (!caller.service() && !caller.isUserOf(tenant, "owner")) {
            throw AccessPolicy.forbidden("a deletion job needs a service token or the owner of this tenant");
        }
    }

    /** Reading a tenant's jobs (one or a list): service tokens, owners and admins of that tenant. */
    public static void requireRead(Caller caller, UUID tenant) {
        if (!caller.service() && !caller.isUserOf(tenant, "owner", "admin")) {
            throw AccessPolicy.forbidden("deletion jobs of this tenant need a service token or an owner/admin of the tenant");
        }
    }

    /** Anyone who may read some tenant's jobs: checked before a job is looked up, so others learn nothing. */
    public static void requireSomeRead(Caller caller) {
        if (!caller.service() && (caller.tenantId() == null || !caller.isUserOf(caller.tenantId(), "owner", "admin"))) {
            throw AccessPolicy.forbidden("deletion jobs need a service token or an owner/admin of the job's tenant");
        }
    }

    /** Retrying: service tokens only. */
    public static void requireRetry(Caller caller) {
        if (!caller.service()) {
            throw AccessPolicy.forbidden("retrying a deletion job needs a service token");
        }
    }

    /** Cancelling: service tokens, or the owner of the job's tenant. */
    public static void requireCancel(Caller caller, UUID tenant) {
        if (!caller.service() && !caller.isUserOf(tenant, "owner")) {
            throw AccessPolicy.forbidden("cancelling a deletion job needs a service token or the owner of the job's tenant");
        }
    }

    /** Anyone who may cancel some tenant's jobs: checked before the job is looked up, so others learn nothing. */
    public static void requireSomeCancel(Caller caller) {
        if (!caller.service() && (caller.tenantId() == null || !caller.isUserOf(caller.tenantId(), "owner"))) {
            throw AccessPolicy.forbidden("cancelling a deletion job needs a service token or the owner of the job's tenant");
        }
    }

    /** Executing a scheduled job now: service tokens only. */
    public static void requireExecuteNow(Caller caller) {
        if (!caller.service()) {
            throw AccessPolicy.forbidden("executing a deletion job now needs a service token");
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
            throw AccessPolicy.forbidden("listing deletion jobs needs a service token or an owner/admin of a tenant");
        }
        requireRead(caller, tenant);
        return tenant;
    }
}
