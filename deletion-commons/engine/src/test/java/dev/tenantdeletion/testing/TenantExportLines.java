package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's export (contract, third edition) read as a client would: its row lines by table, in the order they came,
 * and its summary line, whose sha256 is checked against the lines before it when parsed.
 */
public record TenantExportLines(Map<String, List<JsonNode>> rows, Map<String, Boolean> retained, List<String> tableOrder,
        JsonNode summary) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a whole export: every line but the last a row, the last the summary; fails on anything else. */
    public static TenantExportLines of(String body) {
        assertTrue(body.endsWith("\n"), "an export ends with a newline");
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        Map<String, Boolean> retained = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        MessageDigest digest = sha256();
        for (int i = 0; i < lines.length - 1; i++) {
            JsonNode line = read(lines[i]);
            String table = line.get("table").asText();
            assertTrue(line.get("row").isObject(), "line " + (i + 1) + " has a row object: " + lines[i]);
            if (order.isEmpty() || !order.get(order.size() - 1).equals(table)) {
                assertTrue(!order.contains(table), table + "'s lines come in one block");
                order.add(table);
            }
            rows.computeIfAbsent(table, t -> new ArrayList<>()).add(line.get("row"));
            retained.put(table, line.path("retained").asBoolean(false));
            digest.update((lines[i] + "\n").getBytes(StandardCharsets.UTF_8));
        }
        JsonNode summary = read(lines[lines.length - 1]).get("summary");
        assertTrue(summary != null && summary.isObject(), "the last line is the summary: " + lines[lines.length - 1]);
        assertEquals(HexFormat.of().formatHex(digest.digest()), summary.get("sha256").asText(), "the summary's sha256 is that of the lines before it");
        return new TenantExportLines(rows, retained, order, summary);
    }

    /** The summary's counts, per planned table. */
    public Map<String, Long> summaryCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        summary.get("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    /** The rows of {@code table} as one JSON array (empty when the table had none). */
    public String rowsAsJsonArray(String table) {
        return rows.getOrDefault(table, List.of()).toString();
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
