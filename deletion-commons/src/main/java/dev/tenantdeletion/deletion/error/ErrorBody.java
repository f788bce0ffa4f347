package dev.tenantdeletion.deletion.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, Object summary) {

    public ErrorBody(String error, String message) {
        this(error, message, null);
    }
}
