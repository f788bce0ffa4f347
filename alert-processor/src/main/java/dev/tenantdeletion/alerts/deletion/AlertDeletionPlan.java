package dev.tenantdeletion.alerts.deletion;

import dev.tenantdeletion.alerts.data.Alert;
import dev.tenantdeletion.alerts.data.AlertHistory;
import dev.tenantdeletion.alerts.data.AlertNotification;
import dev.tenantdeletion.alerts.data.AlertRule;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Notifications and history hang off alerts, alerts off rules: delete from the leaves up. */
public class AlertDeletionPlan {

    @Produces
    @Singleton
    DeletionPlan plan() {
        return DeletionPlan.childrenFirst(AlertNotification.class, AlertHistory.class, Alert.class, AlertRule.class);
    }
}
