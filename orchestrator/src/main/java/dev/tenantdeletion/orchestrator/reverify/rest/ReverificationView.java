package dev.tenantdeletion.orchestrator.reverify.rest;

import dev.tenantdeletion.orchestrator.reverify.service.SweepReport;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of POST /api/v1/reverifications: what the sweep checked and found (snake_case by the shared Jackson setting). */
@RegisterForReflection(targets = {ReverificationView.class, ReverificationView.Reappeared.class})
@Schema(description = "A re-verification sweep of every erased tenant against every registered service")
public record ReverificationView(
        @Schema(description = "Erased tenants checked (each against every service swept)") long checkedTenants,
        @Schema(description = "The services swept, sorted") List<String> services,
        @Schema(description = "Services whose deletion check failed: their pass continues at the next sweep") List<String> failedServices,
        @Schema(description = "Every erased tenant found holding rows, per service") List<Reappeared> reappeared,
        @Schema(description = "The ids of the follow-up jobs this sweep created (GET /api/v1/deletion-jobs/{id}); a tenant that "
                + "already had a scheduled, pending or running job gets none") List<UUID> followUpJobs) {

    @Schema(name = "ReappearedRows")
    public record Reappeared(UUID tenantId, String service, @Schema(description = "Rows found, all tables together") long rows,
            @Schema(description = "Rows found per table (tables with rows only)") Map<String, Long> tables,
            @Schema(description = "The follow-up job the tenant got; null when none was created", nullable = true) UUID followUpJobId) {
    }

    static ReverificationView of(SweepReport report) {
        return new ReverificationView(report.checkedTenants(), report.services(), report.failedServices(),
                report.reappeared().stream().map(f -> new Reappeared(f.tenantId(), f.service(), f.rows(), f.counts(), f.followUpJobId()))
                        .toList(),
                report.followUpJobs());
    }
}
