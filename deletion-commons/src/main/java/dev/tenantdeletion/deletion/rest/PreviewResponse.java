package dev.tenantdeletion.deletion.rest;

import java.util.Map;

public record PreviewResponse(String tenantId, String service, Map<String, Long> dataCounts, long totalItems) {
}
