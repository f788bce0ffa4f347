package dev.tenantdeletion.orchestrator.model;

import java.util.Map;

/** How many jobs are in each of these statuses, and how long the oldest running job has been running. */
public record StatusCounts(Map<JobStatus, Long> jobs, double oldestRunningSeconds) {
}
