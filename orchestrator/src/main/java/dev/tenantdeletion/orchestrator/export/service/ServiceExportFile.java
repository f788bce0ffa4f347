package dev.tenantdeletion.orchestrator.export.service;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service's NDJSON export as it passes into the archive: the sha256 of the whole file, and the service's own summary
 * (its last line) checked against the lines before it. Holds one line at most, never the file: the last complete line
 * is kept until the next one shows it was not the summary.
 */
final class ServiceExportFile {

    private final String service;
    private final MessageDigest file = sha256();
    private final MessageDigest linesBeforeLast = sha256();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private byte[] last;
    private long lines;

    ServiceExportFile(String service) {
        this.service = service;
    }

    void add(byte[] chunk) {
        file.update(chunk);
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                partial.write(chunk, start, i + 1 - start);
                completeLine(partial.toByteArray());
                partial.reset();
                start = i + 1;
            }
        }
        partial.write(chunk, start, chunk.length - start);
    }

    private void completeLine(byte[] line) {
        if (last != null) {
            linesBeforeLast.update(last);
        }
        last = line;
        lines++;
    }

    /**
     * The manifest's part for this file, once the service's stream has ended: its summary must be its last line, whole,
     * and name the sha256 of the lines before it; else the export is incomplete and the archive must not be finished.
     */
    JsonObject manifestEntry(String fileName, String tenant) {
        if (partial.size() > 0 || last == null) {
            throw new IncompleteExport(service + "'s export ended in the middle of a line");
        }
        JsonObject summary;
        try {
            summary = new JsonObject(new String(last, StandardCharsets.UTF_8)).getJsonObject("summary");
        } catch (RuntimeException e) {
            summary = null;
        }
        if (summary == null) {
            throw new IncompleteExport(service + "'s export ended without its summary line");
        }
        String expected = HexFormat.of().formatHex(linesBeforeLast.digest());
        if (!expected.equals(summary.getString("sha256")) || !tenant.equals(summary.getString("tenant_id"))) {
            throw new IncompleteExport(service + "'s export does not match its own summary (sha256 or tenant)");
        }
        Map<String, Object> counts = new LinkedHashMap<>(summary.getJsonObject("counts", new JsonObject()).getMap());
        return new JsonObject().put("service", service).put("file", fileName).put("counts", counts)
                .put("total_rows", summary.getLong("total_rows", 0L)).put("sha256", HexFormat.of().formatHex(file.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
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
