package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.deletion.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The second edition's request fields, checked: every failure is a 400 invalid_request naming the field. */
public final class RequestInput {

    public static final Duration MAX_GRACE_PERIOD = dev.tenantdeletion.orchestrator.job.service.JobService.MAX_GRACE_PERIOD;
    public static final int MAX_REASON = 1000;

    private RequestInput() {
    }

    /** An ISO-8601 duration from PT0S to P90D (days, hours, minutes, seconds: a month or year has no fixed length). */
    public static Duration gracePeriod(String raw) {
        Duration duration;
        try {
            duration = Duration.parse(raw);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid("grace_period must be an ISO-8601 duration such as P30D or PT12H (from PT0S to P90D), not '"
                    + shorten(raw) + "'");
        }
        if (duration.isNegative() || duration.compareTo(MAX_GRACE_PERIOD) > 0) {
            throw invalid("grace_period must be from PT0S to P90D, is " + shorten(raw));
        }
        return duration;
    }

    /** An ISO-8601 instant with a zone or offset (2026-12-31T00:00:00Z, …+01:00); a local time without one is refused. */
    public static Instant instant(String field, String raw) {
        try {
            return OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(field + " must be an ISO-8601 instant with a zone or offset, such as 2026-12-31T00:00:00Z, not '"
                    + shorten(raw) + "'");
        }
    }

    /**
     * A required reason of 1 to 1,000 characters (code points: an emoji is one). Any text is kept exactly as
     * given — right-to-left text and control characters included — except NUL, which PostgreSQL text cannot
     * hold, and a reason of blanks only, which explains nothing.
     */
    public static String reason(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("reason is required (1 to " + MAX_REASON + " characters)");
        }
        int length = raw.codePointCount(0, raw.length());
        if (length > MAX_REASON) {
            throw invalid("reason is longer than " + MAX_REASON + " characters (" + length + ")");
        }
        if (raw.indexOf('\u0000') >= 0) {
            throw invalid("reason must not contain the NUL character");
        }
        return raw;
    }

    public static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    private static String shorten(String raw) {
        return raw.length() > 60 ? raw.substring(0, 60) + "…" : raw;
    }
}
