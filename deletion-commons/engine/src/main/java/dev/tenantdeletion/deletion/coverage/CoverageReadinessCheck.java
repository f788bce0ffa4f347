package dev.tenantdeletion.deletion.coverage;

import dev.tenantdeletion.deletion.engine.ForeignKeyChecks;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the schema has a tenant table the plan misses or the plan's order breaks a foreign key. The details
 * also say how deletions enforce foreign keys now ({@code fk-checks}: fast or triggers, with the reason).
 */
@Readiness
@ApplicationScoped
public class CoverageReadinessCheck implements AsyncHealthCheck {

    private final CoverageCheck coverage;
    private final DeletionPlan plan;
    private final ForeignKeyChecks foreignKeyChecks;

    public CoverageReadinessCheck(CoverageCheck coverage, DeletionPlan plan, ForeignKeyChecks foreignKeyChecks) {
        this.coverage = coverage;
        this.plan = plan;
        this.foreignKeyChecks = foreignKeyChecks;
    }

    void logAtStartup(@Observes StartupEvent event) {
        coverage.check(plan).subscribe().with(
                report -> {
                    if (report.covered()) {
                        Log.infof("deletion plan covers the schema: %s", plan.tableNames());
                    } else {
                        report.problems().forEach(problem -> Log.errorf("deletion plan coverage: %s", problem));
                    }
                },
                failure -> Log.errorf(failure, "deletion plan coverage could not be checked"));
        foreignKeyChecks.evaluate(plan).subscribe().with(
                eligibility -> Log.infof("deletion foreign-key checks: %s", eligibility.describe()),
                failure -> Log.errorf(failure, "deletion foreign-key check mode could not be evaluated"));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("deletion-plan-coverage");
        return coverage.check(plan)
                .chain(report -> foreignKeyChecks.evaluate(plan).map(eligibility -> {
                    builder.withData("fk-checks", eligibility.mode().label());
                    if (eligibility.reason() != null) {
                        builder.withData("fk-checks-reason", eligibility.reason());
                    }
                    return report;
                }))
                .map(report -> {
                    builder.status(report.covered()).withData("tables", String.join(",", plan.tableNames()));
                    for (int i = 0; i < report.problems().size(); i++) {
                        builder.withData("problem" + (i + 1), report.problems().get(i));
                    }
                    return builder.build();
                })
                .onFailure().recoverWithItem(failure -> builder.down()
                        .withData("error", "schema could not be read: " + failure.getMessage()).build());
    }
}
