package dev.tenantdeletion.orchestrator.reverify.service;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.fanout.ServiceClient;
import dev.tenantdeletion.orchestrator.job.service.JobService;
import dev.tenantdeletion.orchestrator.metrics.ReverificationMetrics;
import dev.tenantdeletion.orchestrator.model.Outcome;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import dev.tenantdeletion.orchestrator.reverify.store.ErasedTenant;
import dev.tenantdeletion.orchestrator.reverify.store.Finding;
import dev.tenantdeletion.orchestrator.reverify.store.Pass;
import dev.tenantdeletion.orchestrator.reverify.store.ReverificationStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One sweep of the re-verification: under the sweep's lease, every service due (or, asked for, every one) gets a pass
 * over the erased tenants, page by page in tenant_id order. A page is read once for every service whose pass has not
 * passed it (a service registered later, or behind, catches up with the others page by page), each service is asked
 * about the page's tenants in one deletion check (in parallel), a tenant found with rows anywhere gets its follow-up job
 * (its reason naming every service and count of the page), then the cursors move on and the findings are written,
 * fenced by the lease. A service whose check fails drops out of this sweep with its pass under way; the next sweep
 * continues it from its cursor, on whichever replica.
 */
@ApplicationScoped
public class Reverifier {

    private final ReverificationStore store;
    private final ServiceClient client;
    private final ServiceRegistry registry;
    private final JobService jobs;
    private final ReverificationMetrics metrics;
    private final OrchestratorSettings settings;
    private final Vertx vertx;

    public Reverifier(ReverificationStore store, ServiceClient client, ServiceRegistry registry, JobService jobs,
            ReverificationMetrics metrics, OrchestratorSettings settings, Vertx vertx) {
        this.store = store;
        this.client = client;
        this.registry = registry;
        this.jobs = jobs;
        this.metrics = metrics;
        this.settings = settings;
        this.vertx = vertx;
    }

    /**
     * A sweep under lease owner {@code owner}; {@code everything}: every registered service from the first erased tenant
     * (POST /api/v1/reverifications), else only the services due. Empty when another sweep holds the lease.
     */
    public Uni<Optional<SweepReport>> sweep(String owner, boolean everything) {
        Duration lease = settings.jobs().lease();
        return store.acquire(owner, lease).chain(acquired -> {
            if (!acquired) {
                return Uni.createFrom().item(Optional.<SweepReport>empty());
            }
            Sweep sweep = new Sweep(owner);
            long timer = vertx.setPeriodic(Math.max(100, lease.toMillis() / 3), id -> store.renew(owner, lease).subscribe().with(
                    renewed -> {
                        if (!renewed) {
                            sweep.lost.set(true);
                        }
                    },
                    failure -> Log.warnf("could not renew the re-verification lease %s: %s", owner, failure.getMessage())));
            List<String> names = registry.services().stream().map(RegisteredService::name).toList();
            return store.startPasses(owner, names, settings.reverify().interval(), everything)
                    .chain(passes -> passes.map(sweep::run).orElseGet(() -> {
                        sweep.lost.set(true);
                        return Uni.createFrom().voidItem();
                    }))
                    .eventually(() -> {
                        vertx.cancelTimer(timer);
                        return store.release(owner).onFailure().recoverWithNull();
                    })
                    .map(done -> Optional.of(sweep.report()));
        });
    }

    /** One sweep's passes and what they found, page after page. */
    private final class Sweep {

        private final String owner;
        private final AtomicBoolean lost = new AtomicBoolean();
        private final Map<String, Pass> passes = new LinkedHashMap<>();
        private final Set<String> swept = new TreeSet<>();
        private final Set<String> failed = new TreeSet<>();
        private final Map<String, Long> checked = new ConcurrentHashMap<>();
        private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        private final List<UUID> followUps = Collections.synchronizedList(new ArrayList<>());

        Sweep(String owner) {
            this.owner = owner;
        }

        Uni<Void> run(List<Pass> started) {
            for (Pass pass : started) {
                if (registry.find(pass.service()).isPresent()) {
                    passes.put(pass.service(), pass);
                    swept.add(pass.service());
                }
            }
            if (!passes.isEmpty()) {
                Log.infof("re-verification %s: passes of %s", owner, passes.values());
            }
            // one page after another, no stack kept per page, a pause between two (deletion.reverify.page-pause)
            Duration pause = settings.reverify().pagePause();
            AtomicBoolean firstPage = new AtomicBoolean(true);
            return Multi.createBy().repeating()
                    .uni(() -> firstPage.getAndSet(false) || pause.isZero() ? page()
                            : Uni.createFrom().voidItem().onItem().delayIt().by(pause).chain(this::page))
                    .whilst(more -> more).collect().last().replaceWithVoid();
        }

        /** One page for the passes still running; whether another page follows. */
        private Uni<Boolean> page() {
            if (passes.isEmpty() || lost.get()) {
                return Uni.createFrom().item(false);
            }
            // the passes furthest behind set the page; a pass ahead skips the tenants it has checked already
            UUID from = null;
            boolean fromFirst = false;
            for (Pass pass : passes.values()) {
                fromFirst |= pass.cursor() == null;
                from = pass.cursor() == null || (from != null && !Pass.before(pass.cursor(), from)) ? from : pass.cursor();
            }
            if (fromFirst) {
                from = null;
            }
            int size = settings.reverify().batchSize();
            return store.erasedAfter(from, size).chain(read -> {
                boolean last = read.end();
                List<ErasedTenant> page = read.erased();
                if (read.last() == null) {
                    return advance(null, Map.of(), List.of(), List.copyOf(passes.keySet()), true);
                }
                UUID to = read.last();
                Map<UUID, UUID> erasedBy = page.stream().collect(Collectors.toMap(ErasedTenant::tenantId, ErasedTenant::erasedBy));
                List<Uni<Map.Entry<String, Optional<Map<UUID, Map<String, Long>>>>>> checks = new ArrayList<>();
                Map<String, Integer> asked = new LinkedHashMap<>();
                for (Pass pass : passes.values()) {
                    List<UUID> tenants = page.stream().map(ErasedTenant::tenantId).filter(pass::ahead).toList();
                    asked.put(pass.service(), tenants.size());
                    checks.add(check(pass.service(), tenants).map(found -> Map.entry(pass.service(), found)));
                }
                return Uni.join().all(checks).andFailFast().chain(results -> {
                    Map<String, Integer> advanced = new LinkedHashMap<>();
                    List<Finding> found = new ArrayList<>();
                    for (var result : results) {
                        if (result.getValue().isEmpty()) {
                            failed.add(result.getKey());
                            passes.remove(result.getKey());
                            continue;
                        }
                        advanced.put(result.getKey(), asked.get(result.getKey()));
                        result.getValue().get().forEach((tenant, counts) -> {
                            if (erasedBy.containsKey(tenant) && counts.values().stream().anyMatch(n -> n > 0)) {
                                found.add(new Finding(tenant, result.getKey(), counts, erasedBy.get(tenant), null));
                            }
                        });
                    }
                    return followUps(found).chain(recorded -> advance(to, advanced, recorded, List.copyOf(advanced.keySet()), last));
                });
            });
        }

        /** The deletion check of one service for these tenants (one call: a page is at most 1,000); empty when it failed. */
        private Uni<Optional<Map<UUID, Map<String, Long>>>> check(String service, List<UUID> tenants) {
            Optional<RegisteredService> registered = registry.find(service);
            if (tenants.isEmpty() || registered.isEmpty()) {
                return Uni.createFrom().item(Optional.of(Map.of()));
            }
            return client.deletionCheck(registered.get(), tenants)
                    .map(Optional::of)
                    .onFailure().recoverWithItem(failure -> {
                        Log.warnf("re-verification %s: the deletion check of %s failed (its pass continues at the next sweep): %s",
                                owner, service, failure.getMessage());
                        return Optional.empty();
                    });
        }

        /**
         * A follow-up job for each tenant found, its reason naming every service and count found in this page; the findings
         * with the job each got (null when the tenant had got another job meanwhile, or one was active: none created).
         */
        private Uni<List<Finding>> followUps(List<Finding> found) {
            if (found.isEmpty()) {
                return Uni.createFrom().item(List.of());
            }
            Map<UUID, List<Finding>> byTenant = found.stream().collect(Collectors.groupingBy(Finding::tenantId, LinkedHashMap::new,
                    Collectors.toList()));
            return Multi.createFrom().iterable(byTenant.values())
                    .onItem().transformToUniAndConcatenate(tenantFindings -> {
                        Finding first = tenantFindings.get(0);
                        return jobs.followUp(first.tenantId(), first.erasedBy(), reason(tenantFindings))
                                .map(outcome -> {
                                    UUID job = outcome.created() ? outcome.jobId() : null;
                                    if (job != null) {
                                        followUps.add(job);
                                    } else if (outcome.kind() == Outcome.Kind.DONE) {
                                        Log.infof("re-verification %s: tenant %s has rows again, and already the active job %s", owner,
                                                first.tenantId(), outcome.jobId());
                                    }
                                    return tenantFindings.stream().map(f -> f.withFollowUp(job)).toList();
                                });
                    })
                    .collect().asList()
                    .map(lists -> lists.stream().flatMap(List::stream).toList());
        }

        /** Moves the cursors of the passes that checked the page and records its findings; ends the passes when it was the last. */
        private Uni<Boolean> advance(UUID to, Map<String, Integer> advanced, List<Finding> recorded, List<String> ending, boolean last) {
            Map<String, Integer> moved = new LinkedHashMap<>(advanced);
            ending.forEach(service -> moved.putIfAbsent(service, 0));
            if (moved.isEmpty()) {
                return Uni.createFrom().item(!passes.isEmpty());
            }
            return store.advance(owner, to, moved, recorded, last).map(kept -> {
                if (!kept) {
                    Log.warnf("re-verification %s lost its lease: another replica continues from the stored cursors", owner);
                    lost.set(true);
                    return false;
                }
                recorded.forEach(f -> metrics.reappeared(f.service(), f.rows()));
                findings.addAll(recorded);
                advanced.forEach((service, n) -> checked.merge(service, (long) n, Long::sum));
                for (String service : moved.keySet()) {
                    if (last) {
                        passes.remove(service);
                    } else if (to != null) {
                        UUID own = passes.get(service) == null ? null : passes.get(service).cursor();
                        passes.put(service, new Pass(service, own == null ? to : max(own, to)));
                    }
                }
                if (last) {
                    Log.infof("re-verification %s: passes of %s completed", owner, moved.keySet());
                }
                return !passes.isEmpty();
            });
        }

        SweepReport report() {
            long tenants = checked.values().stream().mapToLong(Long::longValue).max().orElse(0);
            List<String> done = swept.stream().filter(s -> !failed.contains(s)).toList();
            return new SweepReport(tenants, done, List.copyOf(failed), List.copyOf(findings), List.copyOf(followUps));
        }
    }

    private static String reason(List<Finding> findings) {
        return "re-verification found rows again after job " + findings.get(0).erasedBy() + ": " + findings.stream()
                .map(f -> f.service() + " " + f.rows() + " (" + f.counts().entrySet().stream().filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
    }

    private static UUID max(UUID a, UUID b) {
        return Pass.before(a, b) ? b : a;
    }

    private static UUID min(UUID a, UUID b) {
        return Pass.before(a, b) ? a : b;
    }
}
