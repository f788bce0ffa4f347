package dev.tenantdeletion.deletion.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of every error answer. Built inside a Response, so native images need it registered. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, Object summary) {

    public ErrorBody(String error, String message) {
        this(error, message, null);
    }
}
