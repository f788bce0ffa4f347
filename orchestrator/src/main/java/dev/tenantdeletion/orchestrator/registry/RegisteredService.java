package dev.tenantdeletion.orchestrator.registry;

import java.time.Duration;

/** A service the orchestrator deletes from: its name, its base URL (base path included) and its call timeout. */
public record RegisteredService(String name, String url, Duration timeout) {

    public String deleteUrl(String tenantId) {
        return url + "/tenant/" + tenantId;
    }

    public String previewUrl(String tenantId) {
        return url + "/tenant/" + tenantId + "/deletion-preview";
    }
}
