package dev.tenantdeletion.orchestrator.export.service;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service's NDJSON export as it passes into the archive: the sha256 of the whole file, and the service's own summary
 * (its last line) checked against the lines before it. Every byte is hashed once, as it passes, except the last complete
 * line and what follows it, which are held until a later line shows they were not the summary; the file's hash is that
 * running hash (cloned) plus the summary line. Holds one line at most, never the file.
 */
final class ServiceExportFile {

    private final String service;
    /** Every byte before the last complete line. */
    private final MessageDigest beforeLastLine;
    /** The last complete line (its first {@code heldLineEnd} bytes, if any) and the bytes after it. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private int heldLineEnd;

    /** {@code digest}: a fresh SHA-256 ({@code Sha256Digests}). */
    ServiceExportFile(String service, MessageDigest digest) {
        this.service = service;
        this.beforeLastLine = digest;
    }

    void add(byte[] chunk) {
        int lastNewline = lastIndexOf(chunk, chunk.length);
        if (lastNewline < 0) {
            held.write(chunk, 0, chunk.length);
            return;
        }
        int newlineBefore = lastIndexOf(chunk, lastNewline);
        if (newlineBefore >= 0) {
            // the last complete line lies inside this chunk: everything before it is hashed
            beforeLastLine.update(held.toByteArray());
            beforeLastLine.update(chunk, 0, newlineBefore + 1);
            held.reset();
            held.write(chunk, newlineBefore + 1, chunk.length - newlineBefore - 1);
            heldLineEnd = lastNewline - newlineBefore;
        } else {
            // the last complete line began in the held bytes, after the line held so far: that one is hashed
            byte[] before = held.toByteArray();
            beforeLastLine.update(before, 0, heldLineEnd);
            held.reset();
            held.write(before, heldLineEnd, before.length - heldLineEnd);
            heldLineEnd = held.size() + lastNewline + 1;
            held.write(chunk, 0, chunk.length);
        }
    }

    private static int lastIndexOf(byte[] chunk, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The manifest's part for this file, once the service's stream has ended: its summary must be its last line, whole,
     * and name the sha256 of the lines before it; else the export is incomplete and the archive must not be finished.
     */
    JsonObject manifestEntry(String fileName, String tenant) {
        if (heldLineEnd == 0 || heldLineEnd != held.size()) {
            throw new IncompleteExport(service + "'s export ended in the middle of a line");
        }
        byte[] last = held.toByteArray();
        JsonObject summary;
        try {
            summary = new JsonObject(new String(last, StandardCharsets.UTF_8)).getJsonObject("summary");
        } catch (RuntimeException e) {
            summary = null;
        }
        if (summary == null) {
            throw new IncompleteExport(service + "'s export ended without its summary line");
        }
        MessageDigest file = copy(beforeLastLine);
        file.update(last);
        String expected = HexFormat.of().formatHex(beforeLastLine.digest());
        if (!expected.equals(summary.getString("sha256")) || !tenant.equals(summary.getString("tenant_id"))) {
            throw new IncompleteExport(service + "'s export does not match its own summary (sha256 or tenant)");
        }
        Map<String, Object> counts = new LinkedHashMap<>(summary.getJsonObject("counts", new JsonObject()).getMap());
        return new JsonObject().put("service", service).put("file", fileName).put("counts", counts)
                .put("total_rows", summary.getLong("total_rows", 0L)).put("sha256", HexFormat.of().formatHex(file.digest()));
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service's export that cannot be handed over as complete. */
    static final class IncompleteExport extends RuntimeException {
        IncompleteExport(String message) {
            super(message);
        }
    }
}
