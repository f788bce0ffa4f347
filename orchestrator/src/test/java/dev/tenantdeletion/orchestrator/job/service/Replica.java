package dev.tenantdeletion.orchestrator.job.service;

import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Another replica sharing the database, as tests play one: its own id, its own claims and leases (as
 * {@link JobScheduler} makes them), processed by {@code worker}.
 */
record Replica(String replicaId, JobStore store, Leases leases, JobWorker worker, Duration lease) {

    Uni<List<UUID>> promoteDue(int limit) {
        return store.promoteDue(limit);
    }

    Uni<List<Claim>> claimDue(int limit) {
        return leases.claimDue(JobScheduler.leaseOwner(replicaId), lease, limit);
    }

    Uni<Optional<Claim>> claim(UUID jobId) {
        return leases.claim(jobId, JobScheduler.leaseOwner(replicaId), lease);
    }

    Uni<JobStatus> process(Claim claim) {
        return worker.process(claim);
    }
}
