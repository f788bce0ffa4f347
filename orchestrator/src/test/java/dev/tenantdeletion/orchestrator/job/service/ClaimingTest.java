package dev.tenantdeletion.orchestrator.job.service;

import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import dev.tenantdeletion.orchestrator.fanout.Fanout;
import dev.tenantdeletion.orchestrator.fanout.FanoutListener;
import dev.tenantdeletion.orchestrator.fanout.RetryPolicy;
import dev.tenantdeletion.orchestrator.fanout.ClaimAbandoned;
import dev.tenantdeletion.orchestrator.fanout.ServiceClient;
import dev.tenantdeletion.orchestrator.job.store.Claim;
import dev.tenantdeletion.orchestrator.job.store.JobStore;
import dev.tenantdeletion.orchestrator.job.store.Leases;
import dev.tenantdeletion.orchestrator.job.store.ServiceRunWrites;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.ServiceResult;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.support.FakeServices;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.orchestrator.support.TestSettings;
import dev.tenantdeletion.orchestrator.time.SettableTime;
import dev.tenantdeletion.orchestrator.tracing.JobTracing;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several replicas on one database: workers with their own identities compete for the same jobs; the
 * database decides, so each service is called once per attempt. This application's own sweeper is kept out
 * (it sweeps once at start-up, on an empty store, then hourly), so every claim a test expects must happen:
 * no test can pass because the sweeper took the job first.
 */
@QuarkusTest
@TestProfile(ClaimingTest.NoSweeper.class)
@WithTestResource(OrchestratorTestResource.class)
class ClaimingTest {

    /** The application's sweeper does not compete with the test's replicas. */
    public static class NoSweeper implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deletion.jobs.sweep-interval", "1h");
        }
    }

    @Inject
    JobWorker worker;
    @Inject
    OrchestratorSettings settings;

    private final FakeServices fake = FakeServices.current();

    @Test
    void competingClaimersCallEachServiceOnceNeverTwice() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        Map<UUID, UUID> tenantOf = new ConcurrentHashMap<>();
        for (int i = 0; i < 6; i++) {
            UUID tenant = UUID.randomUUID();
            UUID job = UUID.randomUUID();
            for (String service : FakeServices.TABLES.keySet()) {
                fake.seed(service, tenant, 10 + i);
                fake.behaviour(service, tenant).sleep(150); // widen the window in which claimers overlap
            }
            jobs.add(job);
            tenantOf.put(job, tenant);
        }
        List<Replica> replicas = List.of(replica("replica-a"), replica("replica-b"),
                replica("replica-c"));
        Map<UUID, String> runBy = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(replicas.size());
        try {
            jobs.forEach(job -> JobRows.pendingJob(job, tenantOf.get(job)));
            List<Future<?>> loops = new ArrayList<>();
            for (Replica replica : replicas) {
                loops.add(threads.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (System.nanoTime() < deadline && jobs.stream().anyMatch(j -> active(JobRows.status(j)))) {
                        List<Claim> claims = replica.claimDue(10).await().atMost(Duration.ofSeconds(5));
                        for (Claim claim : claims) {
                            String previous = runBy.put(claim.jobId(), replica.replicaId());
                            assertEquals(null, previous, "job " + claim.jobId() + " claimed by " + replica.replicaId() + " and " + previous);
                            JobStatus status = replica.process(claim).await().atMost(Duration.ofSeconds(15));
                            assertEquals(JobStatus.COMPLETED, status);
                        }
                        Thread.sleep(5);
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
        assertEquals(new java.util.HashSet<>(jobs), runBy.keySet(), "every job was claimed by one of the test's replicas");
        for (UUID job : jobs) {
            Response done = awaitFinal(TestTokens.service(), job.toString(), Duration.ofSeconds(10));
            assertEquals("completed", done.jsonPath().getString("status"), done.asString());
            for (String service : FakeServices.TABLES.keySet()) {
                assertEquals(1, fake.calls(service, "DELETE", tenantOf.get(job)).size(), service + " of job " + job + " called twice");
                assertEquals(1, done.jsonPath().getInt("services.find { it.service == '" + service + "' }.attempts"));
            }
        }
        assertEquals(List.of(), fake.rejections());
    }

    @Test
    void aLeasedJobCannotBeClaimedByAnotherReplica() {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        for (String service : FakeServices.TABLES.keySet()) {
            fake.seed(service, tenant, 3);
        }
        Replica a = replica("replica-a");
        Replica b = replica("replica-b");
        JobRows.pendingJob(job, tenant);
        Optional<Claim> first = a.claim(job).await().atMost(Duration.ofSeconds(5));
        assertTrue(first.isPresent(), "replica a must claim the pending job (nothing else competes for it)");
        Optional<Claim> second = b.claim(job).await().atMost(Duration.ofSeconds(5));
        assertTrue(second.isEmpty(), "a job under a valid lease was claimed twice");
        assertEquals(JobStatus.COMPLETED, a.process(first.get()).await().atMost(Duration.ofSeconds(15)));
        assertEquals("completed", awaitFinal(TestTokens.service(), job.toString(), Duration.ofSeconds(10)).jsonPath().getString("status"));
        assertTrue(b.claim(job).await().atMost(Duration.ofSeconds(5)).isEmpty(), "a finished job is never claimed");
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(1, fake.calls(service, "DELETE", tenant).size());
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheFormerHolderCanNoLongerWrite() {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        for (String service : FakeServices.TABLES.keySet()) {
            fake.seed(service, tenant, 4);
        }
        Replica stalled = replica("replica-stalled");
        Replica successor = replica("replica-successor");
        JobRows.pendingJob(job, tenant);
        Optional<Claim> old = stalled.claim(job).await().atMost(Duration.ofSeconds(5));
        assertTrue(old.isPresent(), "the first replica must claim the pending job");
        // the stalled replica did not renew: its lease runs out (a lease's expiry is the database's now(), so the test
        // moves the expiry, not a clock)
        TestDb.execute("update deletion_jobs set lease_expires_at = now() - interval '1 second' where id = '" + job + "'");
        Optional<Claim> taken = successor.claim(job).await().atMost(Duration.ofSeconds(5));
        assertTrue(taken.isPresent(), "the successor must take over the expired lease");
        Throwable abandoned = assertThrows(RuntimeException.class, () -> stalled.process(old.get()).await().atMost(Duration.ofSeconds(10)));
        assertTrue(abandoned instanceof ClaimAbandoned, abandoned.toString());
        assertEquals(JobStatus.COMPLETED, successor.process(taken.get()).await().atMost(Duration.ofSeconds(15)));
        assertEquals("completed", awaitFinal(TestTokens.service(), job.toString(), Duration.ofSeconds(10)).jsonPath().getString("status"));
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(1, fake.calls(service, "DELETE", tenant).size(), service + ": the former holder must not call it");
        }
    }

    @Inject
    JobStore store;
    @Inject
    Leases leases;
    @Inject
    ServiceRunWrites writes;
    @Inject
    ServiceRegistry registry;
    @Inject
    OrchestratorMetrics metrics;
    @Inject
    ServiceClient client;
    @Inject
    io.vertx.core.Vertx coreVertx;
    @Inject
    io.vertx.mutiny.core.Vertx vertx;
    @Inject
    RetryPolicy retryPolicy;
    @Inject
    JobTracing tracing;

    /**
     * Stall guard: a claim whose fan-out hangs (no call started, no answer, no result) stops renewing its lease
     * once it has been silent for longer than its stall limit, so another replica can take the job over. The
     * silence is measured on the stuck replica's own clock, which the test moves (that decision is Java's);
     * the lease then expires by the database's clock, so the stuck replica gets a short lease of its own.
     */
    @Test
    void aClaimWithoutProgressStopsRenewingItsLeaseAndIsTakenOver() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        for (String service : FakeServices.TABLES.keySet()) {
            fake.seed(service, tenant, 6);
        }
        // a fan-out that never comes back, as a call stuck without any timeout would
        Fanout hung = new Fanout(client, metrics, retryPolicy, coreVertx, tracing, settings) {
            @Override
            public Uni<List<ServiceResult>> deleteEverywhere(UUID jobId, UUID tenantId, List<Task> tasks, FanoutListener listener) {
                return Uni.createFrom().nothing();
            }
        };
        Duration lease = Duration.ofMillis(600);
        SettableTime time = new SettableTime();
        LeaseKeepers keepers = new LeaseKeepers(leases, vertx, time, TestSettings.with(Map.of("deletion.jobs.lease", "600ms")), retryPolicy);
        Replica stuck = new Replica("replica-stuck", store, leases,
                new JobWorker(store, writes, hung, registry, metrics, tracing, keepers, vertx), lease);
        JobRows.pendingJob(job, tenant);
        Optional<Claim> claim = stuck.claim(job).await().atMost(Duration.ofSeconds(5));
        assertTrue(claim.isPresent(), "the stuck replica must claim the pending job");
        Cancellable running = stuck.process(claim.get()).subscribe().with(status -> { }, failure -> { });
        try {
            Replica successor = replica("replica-successor");
            time.advance(lease.multipliedBy(SettingsValidation.STALL_LEASES).plusMillis(1));
            Optional<Claim> taken = Optional.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (taken.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50); // the database's clock: the lease runs out within 600 ms of the last renewal
                taken = successor.claim(job).await().atMost(Duration.ofSeconds(5));
            }
            assertTrue(taken.isPresent(), "the stalled run kept renewing its lease");
            assertEquals(JobStatus.COMPLETED, successor.process(taken.get()).await().atMost(Duration.ofSeconds(15)));
        } finally {
            running.cancel();
        }
        for (String service : FakeServices.TABLES.keySet()) {
            assertEquals(1, fake.calls(service, "DELETE", tenant).size(), service);
        }
    }

    /** Another replica on this database, processing with the application's worker. */
    private Replica replica(String replicaId) {
        return new Replica(replicaId, store, leases, worker, settings.jobs().lease());
    }

    private static boolean active(String status) {
        return "pending".equals(status) || "running".equals(status);
    }
}
