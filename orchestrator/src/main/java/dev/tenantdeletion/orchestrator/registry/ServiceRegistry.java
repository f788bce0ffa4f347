package dev.tenantdeletion.orchestrator.registry;

import dev.tenantdeletion.deletion.error.ApiException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
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
    private final OrchestratorSettings.Retry retry;

    public ServiceRegistry(OrchestratorSettings settings) {
        this.services = fromSettings(settings);
        this.retry = settings.retry();
        if (retry.maxAttempts() < 1) {
            throw new IllegalArgumentException("deletion.retry.max-attempts must be at least 1, is " + retry.maxAttempts());
        }
        requirePositive("deletion.retry.initial-backoff", retry.initialBackoff());
        requirePositive("deletion.retry.max-backoff", retry.maxBackoff());
        if (services.isEmpty()) {
            Log.warn(NO_SERVICES + ": not ready; new jobs and previews answer 503 no_services_registered");
        }
    }

    /** Enabled services, sorted by name; refuses a malformed URL or a non-positive timeout. */
    static List<RegisteredService> fromSettings(OrchestratorSettings settings) {
        List<RegisteredService> list = new ArrayList<>();
        for (Map.Entry<String, OrchestratorSettings.Service> entry : settings.services().entrySet()) {
            String name = entry.getKey();
            OrchestratorSettings.Service service = entry.getValue();
            if (!service.enabled()) {
                continue;
            }
            String url = service.url().strip();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("deletion.services." + name + ".url is not a URL: " + url, e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("deletion.services." + name + ".url must be an http(s) URL with a host: " + url);
            }
            requirePositive("deletion.services." + name + ".timeout", service.timeout());
            list.add(new RegisteredService(name, url, service.timeout()));
        }
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(list);
    }

    private static void requirePositive(String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be positive, is " + value);
        }
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

    public OrchestratorSettings.Retry retry() {
        return retry;
    }
}
