package dev.tenantdeletion.deletion.rest;

import dev.tenantdeletion.deletion.engine.DeletionSummary;

public record DeletionResponse(String message, DeletionSummary summary) {
}
