package dev.tenantdeletion.deletion.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every error answer (built inside a Response: registered for native images in src-native-config). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, Object summary) {

    public ErrorBody(String error, String message) {
        this(error, message, null);
    }
}
