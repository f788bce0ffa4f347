package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the job store's tables answer: a skipped migration never passes for a working orchestrator. */
@Readiness
@ApplicationScoped
public class JobStoreReadinessCheck implements AsyncHealthCheck {

    private final Pool pool;

    public JobStoreReadinessCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        // "where false" reads no row of deletion_job_services, yet the statement fails when that table is missing:
        // a half-applied migration makes the check DOWN at no cost
        return pool.preparedQuery("select (select count(*) from deletion_jobs where status = any($1)) as active,"
                        + " (select count(*) from deletion_job_services where false) as services")
                .execute(Tuple.of(JobStatus.asText(JobStatus.IN_PROGRESS)))
                .map(rows -> HealthCheckResponse.named("deletion-job-store").up()
                        .withData("active_jobs", rows.iterator().next().getLong("active")).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("deletion-job-store").down()
                        .withData("error", "job store not usable (migrations applied?): " + failure.getMessage()).build());
    }
}
