package dev.tenantdeletion.deletion.access;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * UUIDs as the API writes them: the canonical 36-character hyphenated form, upper-case hex allowed.
 * {@link UUID#fromString} alone would also take short forms such as "1-2-3-4-5".
 */
public final class Uuids {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Uuids() {
    }

    /** The UUID, or empty for anything but the canonical form (braces, "urn:uuid:", missing hyphens, blanks). */
    public static Optional<UUID> canonical(String raw) {
        if (raw == null || raw.length() != 36 || !CANONICAL.matcher(raw).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(raw));
    }
}
