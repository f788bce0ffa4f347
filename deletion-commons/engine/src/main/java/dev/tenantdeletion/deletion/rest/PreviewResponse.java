package dev.tenantdeletion.deletion.rest;

import java.util.Map;

/** @param retained tables of the tenant the service keeps on purpose, each with its retention rule ({} for none) */
public record PreviewResponse(String tenantId, String service, Map<String, Long> dataCounts, long totalItems,
        Map<String, String> retained) {
}
