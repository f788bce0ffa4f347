package dev.tenantdeletion.orchestrator.metrics;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import dev.tenantdeletion.orchestrator.registry.RegisteredService;
import dev.tenantdeletion.orchestrator.registry.ServiceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The re-verification metrics: {@code deletion_reverification_reappeared_rows_total{service}} (rows found again by
 * this replica's sweeps), and the gauges {@code deletion_reverification_last_success_timestamp_seconds} and
 * {@code deletion_reverification_tenants}, fed from the job store (so every replica reports the same, as the job
 * gauges) by the re-verification's periodic refresh; {@code deletion_reverification_interval_seconds} is the setting
 * (0: off), so the alert "no successful sweep for twice the interval" needs no copy of it.
 */
@ApplicationScoped
public class ReverificationMetrics {

    /** The app's own Prometheus registry (see {@link JobGauges} for why not the global composite). */
    private final PrometheusMeterRegistry prometheus;
    private final ServiceRegistry services;
    private final double intervalSeconds;
    private volatile double lastSuccessEpochSeconds;
    private volatile double tenants;

    public ReverificationMetrics(PrometheusMeterRegistry prometheus, ServiceRegistry services, OrchestratorSettings settings) {
        this.prometheus = prometheus;
        this.services = services;
        this.intervalSeconds = settings.reverify().interval().toMillis() / 1000.0;
    }

    /** Every series from the start: the counters at 0 for every registered service, the gauges at their first figures. */
    void onStart(@Observes StartupEvent event) {
        for (RegisteredService service : services.services()) {
            reappeared(service.name());
        }
        Gauge.builder("deletion.reverification.last.success.timestamp", this, m -> m.lastSuccessEpochSeconds)
                .description("When every registered service last completed a re-verification pass (the oldest of their last "
                        + "passes, Unix time), 0 while one never has; read from the job store")
                .baseUnit("seconds")
                .register(prometheus);
        Gauge.builder("deletion.reverification.tenants", this, m -> m.tenants)
                .description("Erased tenants checked by the last completed re-verification pass; read from the job store")
                .register(prometheus);
        Gauge.builder("deletion.reverification.interval", this, m -> m.intervalSeconds)
                .description("deletion.reverify.interval: every erased tenant is re-verified at least this often (0: off)")
                .baseUnit("seconds")
                .register(prometheus);
    }

    /** Rows an erased tenant was found holding again in a service. */
    public void reappeared(String service, long rows) {
        if (rows > 0) {
            reappeared(service).increment(rows);
        }
    }

    /** The store's figures, as the last refresh read them. */
    public void update(double lastSuccessEpochSeconds, long tenants) {
        this.lastSuccessEpochSeconds = lastSuccessEpochSeconds;
        this.tenants = tenants;
    }

    private Counter reappeared(String service) {
        return Counter.builder("deletion.reverification.reappeared.rows")
                .description("Rows of erased tenants found again by re-verification sweeps")
                .tag("service", service)
                .register(prometheus);
    }
}
