package dev.tenantdeletion.orchestrator.reverify.store;

/**
 * What the re-verification gauges show, read from the store so every replica reports the same: when the sweep last
 * succeeded for every registered service ({@code lastSuccessEpochSeconds}: the oldest of their last completed passes;
 * 0 while some registered service has never completed one) and how many erased tenants the latest completed pass
 * checked.
 */
public record SweepFigures(double lastSuccessEpochSeconds, long tenants) {
}
