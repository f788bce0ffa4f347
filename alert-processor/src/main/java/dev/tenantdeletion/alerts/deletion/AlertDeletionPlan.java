package dev.tenantdeletion.alerts.deletion;

import dev.tenantdeletion.alerts.data.Alert;
import dev.tenantdeletion.alerts.data.AlertHistory;
import dev.tenantdeletion.alerts.data.AlertNotification;
import dev.tenantdeletion.alerts.data.AlertRule;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Notifications and history hang off alerts, alerts off rules: delete from the leaves up.
 *
 * <p>Served by deletion-commons' {@code TenantDeletionResource} (the preview and DELETE endpoints under quarkus.rest.path)
 * → {@code DeletionEngine}, which runs this plan; the service module has no REST class of its own.
 */
public class AlertDeletionPlan {

    @Produces
    @Singleton
    DeletionPlan plan() {
        return DeletionPlan.childrenFirst(AlertNotification.class, AlertHistory.class, Alert.class, AlertRule.class);
    }
}
