package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.deletion.access.TenantIds;
import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The query of GET /deletion-jobs, checked: the tenant asked for (null: as the caller may see), the status (null: any)
 * and the page (400 invalid_tenant_id, invalid_status, invalid_paging).
 */
record JobListQuery(UUID tenant, JobStatus status, int page, int size) {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    static JobListQuery parse(String rawTenant, String rawStatus, String rawPage, String rawSize) {
        UUID tenant = rawTenant == null || rawTenant.isEmpty() ? null : TenantIds.parse(rawTenant);
        JobStatus status = rawStatus == null || rawStatus.isEmpty() ? null : status(rawStatus);
        int page = number(rawPage, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = number(rawSize, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        return new JobListQuery(tenant, status, page, size);
    }

    private static JobStatus status(String raw) {
        return JobStatus.parse(raw).orElseThrow(() -> new ApiException(400, "invalid_status", "status must be one of "
                + Arrays.stream(JobStatus.values()).map(JobStatus::value).collect(Collectors.joining(", "))));
    }

    private static int number(String raw, String name, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "invalid_paging", name + " must be an integer from " + min + " to " + max);
    }
}
