package dev.tenantdeletion.orchestrator.job.rest;

import dev.tenantdeletion.deletion.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The request fields of the job and legal-hold APIs, checked: every failure is a 400 invalid_request naming the field. */
public final class RequestInput {

    public static final Duration MAX_GRACE_PERIOD = dev.tenantdeletion.orchestrator.job.service.JobService.MAX_GRACE_PERIOD;
    public static final int MAX_REASON = 1000;
    /** A tenant's name: the job store's varchar(255), which PostgreSQL counts in characters. */
    public static final int MAX_NAME = 255;

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
     * A required reason of 1 to 1,000 characters (code points: an emoji is one), kept exactly as given —
     * right-to-left text and line breaks included — but never NUL (PostgreSQL text cannot hold it), another
     * control character (terminal escapes, DEL, C1 controls: a reason is shown in logs, answers and certificates),
     * or blanks only, which explain nothing.
     */
    public static String reason(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("reason is required (1 to " + MAX_REASON + " characters)");
        }
        return text("reason", raw, MAX_REASON, true);
    }

    /** An optional reason (a new job's): when given, as {@link #reason}. */
    public static String optionalReason(String raw) {
        return raw == null ? null : reason(raw);
    }

    /** An optional name of at most 255 characters on one line: no control character at all, NUL included. */
    public static String name(String field, String raw) {
        return raw == null ? null : text(field, raw, MAX_NAME, false);
    }

    /** Text of at most {@code max} code points without NUL or control characters (tab, CR and LF where lines are allowed). */
    private static String text(String field, String raw, int max, boolean lines) {
        int length = raw.codePointCount(0, raw.length());
        if (length > max) {
            throw invalid(field + " is longer than " + max + " characters (" + length + ")");
        }
        if (raw.indexOf('\u0000') >= 0) {
            throw invalid(field + " must not contain the NUL character");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c) && !(lines && (c == '\t' || c == '\n' || c == '\r'))) {
                throw invalid(field + " must not contain control characters (found U+" + String.format("%04X", (int) c)
                        + (lines ? "; tab and line breaks are allowed)" : ")"));
            }
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
