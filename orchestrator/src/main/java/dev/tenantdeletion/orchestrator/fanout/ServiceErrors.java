package dev.tenantdeletion.orchestrator.fanout;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What of a service's error answer a job may record: the job's {@code services[].error} is read by the tenant's owners
 * and admins, so it repeats only the error code (the contract's snake_case words) and a bounded, cleaned message from a
 * JSON error body; a message that looks like internals (database text, exception names, stack frames, addresses) is
 * withheld, and a body that is not JSON is not repeated at all. The raw body goes to the log line ({@link CallFailure#detail()}).
 */
final class ServiceErrors {

    /** The longest service message a job records. */
    static final int MAX_MESSAGE = 300;
    /** The longest raw body a log line carries. */
    static final int MAX_LOGGED_BODY = 2_000;

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\s]+");
    /**
     * What only internals say: PostgreSQL's SQLSTATE and severity prefixes, exception class names and stack frames,
     * URLs, IPv4 addresses, host:port pairs and localhost.
     */
    private static final Pattern INTERNALS = Pattern.compile(
            "SQLSTATE|\\b(?:ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT):|Exception|Throwable|\\bat [\\w$.]+\\(|\\.java:\\d"
                    + "|[a-zA-Z][a-zA-Z0-9+.-]*://|\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b|\\b[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*:\\d{2,5}\\b"
                    + "|(?i:localhost)");

    private ServiceErrors() {
    }

    /**
     * What follows "answered HTTP 500" in the job: " deletion_failed: deletion failed: database error", or a fixed phrase
     * when the body is not a JSON error or its message is not fit to repeat.
     */
    static String of(JsonObject body) {
        if (body == null) {
            return " without a JSON error body";
        }
        String code = body.getValue("error") instanceof String c && CODE.matcher(c).matches() ? c : null;
        if (code == null) {
            return " without a JSON error code";
        }
        String message = body.getValue("message") instanceof String m ? message(m) : null;
        if (message == null) {
            return " " + code;
        }
        return " " + code + ": " + message;
    }

    /** The message cleaned (no control characters, whitespace collapsed) and bounded; a fixed phrase when it looks like internals. */
    static String message(String raw) {
        String clean = CONTROL.matcher(raw).replaceAll(" ").strip();
        if (clean.isEmpty()) {
            return null;
        }
        if (INTERNALS.matcher(clean).find()) {
            return "(its message is withheld: it carried internal details)";
        }
        return clean.length() <= MAX_MESSAGE ? clean : clean.substring(0, MAX_MESSAGE) + "…";
    }
}
