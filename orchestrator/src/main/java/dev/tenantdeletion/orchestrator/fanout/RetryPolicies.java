package dev.tenantdeletion.orchestrator.fanout;

import dev.tenantdeletion.orchestrator.config.OrchestratorSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** This replica's {@link RetryPolicy}, from {@code deletion.retry.*} (bounds checked at start-up). */
@Singleton
public class RetryPolicies {

    @Produces
    @Singleton
    RetryPolicy retryPolicy(OrchestratorSettings settings) {
        OrchestratorSettings.Retry retry = settings.retry();
        return new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(), retry.horizon());
    }
}
