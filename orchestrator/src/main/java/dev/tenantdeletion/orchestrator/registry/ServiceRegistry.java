package dev.tenantdeletion.orchestrator.registry;

import dev.tenantdeletion.deletion.error.ApiException;
import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.config.SettingsValidation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services a deletion job fans out to, from configuration only: every enabled
 * {@code deletion.services.<name>} entry. Registering another service needs no code.
 */
@ApplicationScoped
public class ServiceRegistry {

    private final List<RegisteredService> services;

    public ServiceRegistry(OrchestratorSettings settings) {
        this.services = fromSettings(settings);
        if (services.isEmpty()) {
            Log.warn(NO_SERVICES + ": not ready; new jobs and previews answer 503 no_services_registered");
        }
    }

    /** Enabled services, sorted by name (their URLs and timeouts were checked at start-up by {@link SettingsValidation}). */
    static List<RegisteredService> fromSettings(OrchestratorSettings settings) {
        List<RegisteredService> list = new ArrayList<>();
        for (Map.Entry<String, OrchestratorSettings.Service> entry : settings.services().entrySet()) {
            OrchestratorSettings.Service service = entry.getValue();
            if (service.enabled()) {
                list.add(new RegisteredService(entry.getKey(), SettingsValidation.baseUrl(service), service.timeout(),
                        SettingsValidation.audience(entry.getKey(), service)));
            }
        }
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(list);
    }

    static final String NO_SERVICES = "no service is registered (deletion.services.<name>.url, or every one has enabled=false)";

    /**
     * Refuses work that needs services when there are none: an empty registry would "delete" a tenant by
     * calling nobody and preview it as empty, a false erasure attestation.
     */
    public void requireServices() {
        if (services.isEmpty()) {
            throw new ApiException(503, "no_services_registered", NO_SERVICES + ": the orchestrator cannot delete or preview anything");
        }
    }

    public List<RegisteredService> services() {
        return services;
    }

    public Optional<RegisteredService> find(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
