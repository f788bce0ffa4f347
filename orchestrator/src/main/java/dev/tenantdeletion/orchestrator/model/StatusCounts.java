package dev.tenantdeletion.orchestrator.model;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.Map;

/** How many jobs are in each of these statuses, and how long the oldest running job has been running. */
public record StatusCounts(Map<JobStatus, Long> jobs, double oldestRunningSeconds) {

    /** Where the figures come from (the job store's read side), for those that only show them. */
    public interface Reader {

        /** Jobs per status (statuses without a job are absent) and the age of the oldest running job, 0 when none runs. */
        Uni<StatusCounts> statusCounts(Collection<JobStatus> statuses);
    }
}
