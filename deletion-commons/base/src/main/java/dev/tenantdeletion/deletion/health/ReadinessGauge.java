package dev.tenantdeletion.deletion.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code tenant_deletion_ready{application}}: 1 while this process's readiness (/q/health/ready: its
 * database, its coverage check, the orchestrator's registry) is UP, else 0. Kubernetes takes a pod that is
 * not ready out of its Service but Prometheus still scrapes it, so this is what a "not ready" alert watches.
 * The checks run in the background every {@value #EVERY_MS} ms; a scrape only reads the last answer.
 */
@ApplicationScoped
public class ReadinessGauge {

    static final long EVERY_MS = 10_000;

    private final SmallRyeHealthReporter health;
    /** The app's own Prometheus registry: the global composite outlives a Quarkus restart in one JVM (tests). */
    private final PrometheusMeterRegistry registry;
    private final Vertx vertx;
    private final String application;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile double ready;
    private volatile long timer = -1;

    public ReadinessGauge(SmallRyeHealthReporter health, PrometheusMeterRegistry registry, Vertx vertx,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.health = health;
        this.registry = registry;
        this.vertx = vertx;
        this.application = application;
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("tenant.deletion.ready", this, gauge -> gauge.ready)
                .description("1 while the process is ready (/q/health/ready UP), 0 otherwise")
                .tag("application", application)
                .register(registry);
        check();
        timer = vertx.setPeriodic(EVERY_MS, id -> check());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        health.getReadinessAsync()
                .onTermination().invoke(() -> checking.set(false))
                .subscribe().with(
                        answer -> ready = answer.getStatus() == HealthCheckResponse.Status.UP ? 1 : 0,
                        failure -> {
                            ready = 0;
                            Log.warnf("readiness check for the tenant_deletion_ready gauge failed: %s", failure.getMessage());
                        });
    }
}
