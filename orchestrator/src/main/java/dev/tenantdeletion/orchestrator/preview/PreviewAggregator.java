package dev.tenantdeletion.orchestrator.preview;

import dev.tenantdeletion.orchestrator.fanout.CallFailure;
import dev.tenantdeletion.orchestrator.model.Counts;
import dev.tenantdeletion.orchestrator.fanout.ServiceClient;
import dev.tenantdeletion.orchestrator.metrics.OrchestratorMetrics;
import dev.tenantdeletion.orchestrator.preview.AggregatedPreview.ServicePreview;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Asks every registered service for its preview at once, each within its own timeout (one attempt: a
 * preview is a question, and its answer must come fast). A service that fails or is too slow is listed
 * as unavailable — never counted as zero.
 */
@ApplicationScoped
public class PreviewAggregator {

    private final ServiceClient client;
    private final ServiceRegistry registry;
    private final OrchestratorMetrics metrics;

    public PreviewAggregator(ServiceClient client, ServiceRegistry registry, OrchestratorMetrics metrics) {
        this.client = client;
        this.registry = registry;
        this.metrics = metrics;
    }

    public Uni<AggregatedPreview> preview(UUID tenant) {
        // never an empty preview that reads as "nothing to delete"
        registry.requireServices();
        List<RegisteredService> services = registry.services();
        List<Uni<Answer>> calls = services.stream().map(service -> client.preview(service, tenant)
                        .map(counts -> new Answer(service.name(), Optional.of(counts)))
                        .onFailure().recoverWithItem(failure -> {
                            if (failure instanceof CallFailure call && call.kind() == CallFailure.Kind.TIMEOUT) {
                                metrics.timeout(service.name());
                            }
                            Log.warnf("preview of %s unavailable: %s", service.name(), failure.getMessage());
                            return new Answer(service.name(), Optional.empty());
                        }))
                .toList();
        return Uni.join().all(calls).andFailFast().map(answers -> {
            Map<String, ServicePreview> available = new TreeMap<>();
            List<String> unavailable = new ArrayList<>();
            long total = 0;
            for (Answer answer : answers) {
                if (answer.counts().isEmpty()) {
                    unavailable.add(answer.service());
                    continue;
                }
                Map<String, Long> counts = answer.counts().get();
                long items = Counts.total(counts);
                available.put(answer.service(), new ServicePreview(counts, items));
                total += items;
            }
            unavailable.sort(String::compareTo);
            return new AggregatedPreview(tenant.toString(), available, total, unavailable);
        });
    }

    private record Answer(String service, Optional<Map<String, Long>> counts) {
    }
}
