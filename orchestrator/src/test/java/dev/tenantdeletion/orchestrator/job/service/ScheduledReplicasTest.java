package dev.tenantdeletion.orchestrator.job.service;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one job store, both sweeping while scheduled jobs come due: each job is made pending once
 * and run once, whichever replica gets it. The application's own sweeper is kept out (hourly), so every
 * promotion and claim is one of the two test replicas'.
 */
@QuarkusTest
@TestProfile(ClaimingTest.NoSweeper.class)
@WithTestResource(OrchestratorTestResource.class)
class ScheduledReplicasTest {

    @Inject
    JobStore store;
    @Inject
    Leases leases;
    @Inject
    JobWorker worker;
    @Inject
    OrchestratorSettings settings;

    private final FakeServices fake = FakeServices.current();

    @Test
    void twoReplicasSweepingAtOnceStartEachDueJobOnce() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        Map<UUID, UUID> tenantOf = new ConcurrentHashMap<>();
        for (int i = 0; i < 5; i++) {
            UUID tenant = UUID.randomUUID();
            UUID job = UUID.randomUUID();
            FakeServices.TABLES.keySet().forEach(s -> fake.seed(s, tenant, 5));
            JobRows.jobIn(job, tenant, "scheduled");
            jobs.add(job);
            tenantOf.put(job, tenant);
        }
        // they all come due now
        TestDb.execute("update deletion_jobs set execute_after = now() - interval '1 second' where status = 'scheduled'");
        List<Replica> replicas = List.of(replica("replica-a"), replica("replica-b"));
        List<UUID> promoted = new CopyOnWriteArrayList<>();
        Map<UUID, String> runBy = new ConcurrentHashMap<>();
        CyclicBarrier together = new CyclicBarrier(replicas.size());
        ExecutorService threads = Executors.newFixedThreadPool(replicas.size());
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (Replica replica : replicas) {
                loops.add(threads.submit(() -> {
                    together.await();
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline && jobs.stream().anyMatch(j -> !JobStatus.of(JobRows.status(j)).isSettled())) {
                        promoted.addAll(replica.promoteDue(10).await().atMost(Duration.ofSeconds(5)));
                        for (Claim claim : replica.claimDue(10).await().atMost(Duration.ofSeconds(5))) {
                            String previous = runBy.put(claim.jobId(), replica.replicaId());
                            assertEquals(null, previous, "job " + claim.jobId() + " started by " + replica.replicaId() + " and " + previous);
                            assertEquals(JobStatus.COMPLETED, replica.process(claim).await().atMost(Duration.ofSeconds(20)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(jobs.size(), promoted.size(), "each job promoted exactly once: " + promoted);
        assertEquals(new java.util.HashSet<>(jobs), new java.util.HashSet<>(promoted));
        assertEquals(new java.util.HashSet<>(jobs), runBy.keySet());
        for (UUID job : jobs) {
            Response done = awaitFinal(TestTokens.service(), job.toString(), Duration.ofSeconds(10));
            assertEquals("completed", done.jsonPath().getString("status"), done.asString());
            for (String service : FakeServices.TABLES.keySet()) {
                assertEquals(1, fake.calls(service, "DELETE", tenantOf.get(job)).size(), service + " of job " + job);
            }
        }
        assertTrue(fake.rejections().isEmpty(), fake.rejections().toString());
    }

    /** Another replica on this database, processing with the application's worker. */
    private Replica replica(String replicaId) {
        return new Replica(replicaId, store, leases, worker, settings.jobs().lease());
    }
}
