package dev.tenantdeletion.orchestrator.registry;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready with an empty registry: such an orchestrator can neither delete nor preview anything. */
@Readiness
@ApplicationScoped
public class ServiceRegistryReadinessCheck implements HealthCheck {

    private final ServiceRegistry registry;

    public ServiceRegistryReadinessCheck(ServiceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        if (registry.services().isEmpty()) {
            return HealthCheckResponse.named("service-registry").down()
                    .withData("error", ServiceRegistry.NO_SERVICES).build();
        }
        return HealthCheckResponse.named("service-registry").up()
                .withData("services", String.join(",", registry.services().stream().map(RegisteredService::name).toList()))
                .build();
    }
}
