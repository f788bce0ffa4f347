package dev.tenantdeletion.orchestrator.reverify.store;

import java.util.UUID;

/**
 * A service's pass over the erased tenants, under way: the last tenant id it has checked ({@code cursor}; null: none
 * yet, it starts from the first).
 */
public record Pass(String service, UUID cursor) {

    /** Whether this pass has yet to check {@code tenant} (ids ascending, as the pages are read). */
    public boolean ahead(UUID tenant) {
        return cursor == null || ReverificationStore.compare(tenant, cursor) > 0;
    }

    /** Whether {@code a} comes before {@code b} in the database's order of tenant ids. */
    public static boolean before(UUID a, UUID b) {
        return ReverificationStore.compare(a, b) < 0;
    }
}
