package dev.tenantdeletion.orchestrator.job.rest;

import java.util.List;

/** A page of jobs, newest first. */
public record JobListView(List<JobView> items, int page, int size, long total) {
}
