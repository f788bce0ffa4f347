package dev.tenantdeletion.deletion.rest;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * @param tenants only the tenants asked about that hold at least one row, by lower-case id, each with its preview's
 *     counts (every planned table)
 */
public record DeletionCheckResponse(
        @Schema(description = "This service's name") String service,
        @Schema(description = "Tenant id → rows per planned table, as the preview counts them; tenants without rows are left out")
        Map<String, Map<String, Long>> tenants) {
}
