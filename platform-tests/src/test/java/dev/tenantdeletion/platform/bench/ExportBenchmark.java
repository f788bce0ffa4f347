package dev.tenantdeletion.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantdeletion.deletion.export.TenantExport;
import dev.tenantdeletion.platform.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 25: the export of a big tenant. The four packaged apps with the production JVM options (-Xmx64m), pos-service
 * with a GC log; a pos tenant of {@code bench.export.rows} (1,000,000) rows next to a neighbour. Timed, medians of
 * {@code bench.export.rounds} (3): the limit of this machine — {@code psql \copy (select …) to stdout} of the same rows
 * as CSV, table by table, into nothing, and psql's copy of the export's own NDJSON lines ({@code TenantExport.line}) —
 * against pos-service's NDJSON export read to its end, and the orchestrator's
 * ZIP (the three services' files, manifest and signature) read through {@code ZipInputStream}. Each export is checked
 * complete (the summary's total, the manifest's). The GC log gives pos-service's heap: the largest heap after a
 * collection (what stayed live) and before one, across every export; the CPU seconds pos-service and PostgreSQL spend
 * during each NDJSON export say who waits for whom. {@code bench.export.pos-options}: more JVM flags for
 * pos-service alone (a JFR recording, say).
 *
 * <p>Not run by default. After packaging the apps: {@code mvn -B -ntp verify -pl platform-tests -Dit.test=ExportBenchmark
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}. Report:
 * {@code target/bench-export/report.md}.
 */
class ExportBenchmark {

    private static final Path WORK = Path.of("target", "bench-export").toAbsolutePath();
    /** pos-service's tables, parents first (the export's order). */
    private static final List<String> POS_TABLES = List.of("pos_configurations", "pos_devices", "pos_sessions", "pos_transactions");
    private static final Pattern GC_LINE = Pattern.compile("Pause \\w+ \\(.*?\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static Platform platform;

    @Test
    void export() throws Exception {
        int rows = Integer.getInteger("bench.export.rows", 1_000_000);
        int rounds = Integer.getInteger("bench.export.rounds", 3);
        Files.createDirectories(WORK);
        Path gcLog = WORK.resolve("pos-gc.log");
        Files.deleteIfExists(gcLog);
        platform = new Platform("export-bench", "exbench", WORK);
        for (String label : Platform.APPS) {
            platform.createDatabase(label);
        }
        Map<String, String> pos = platform.environment("pos");
        pos.put("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLog + " " + System.getProperty("bench.export.pos-options", ""));
        platform.start("pos", pos);
        for (String label : List.of("external", "alerts", "orchestrator")) {
            platform.start(label, platform.environment(label));
        }
        UUID tenant = UUID.randomUUID();
        long seeding = System.nanoTime();
        platform.seed("pos", List.of(tenant), rows);
        platform.seed("pos", List.of(UUID.randomUUID()), 10_000);
        platform.seed("external", List.of(tenant), 3_000);
        platform.seed("alerts", List.of(tenant), 3_000);
        try (Connection db = platform.connect("pos"); Statement statement = db.createStatement()) {
            statement.execute("vacuum analyze");
        }
        long expected = platform.counts(tenant).entrySet().stream().filter(e -> e.getKey().startsWith("pos/"))
                .mapToLong(Map.Entry::getValue).sum();
        platform.log("seeded %d pos rows in %d ms", expected, Platform.millisSince(seeding));

        List<Double> copy = new ArrayList<>();
        List<Double> copyLines = new ArrayList<>();
        List<Double> ndjson = new ArrayList<>();
        List<Double> zip = new ArrayList<>();
        List<Double> ndjsonPosCpu = new ArrayList<>();
        List<Double> ndjsonPostgresCpu = new ArrayList<>();
        long ndjsonBytes = 0;
        long zipBytes = 0;
        List<String> lineCopies = lineCopies(tenant);
        for (int round = 1; round <= rounds; round++) {
            copy.add(psqlCopy(tenant));
            copyLines.add(psql(lineCopies));
            Map<String, Double> cpu = Bench.cpuSeconds(platform);
            long started = System.nanoTime();
            long[] read = readExport(tenant, expected);
            ndjson.add((System.nanoTime() - started) / 1e6);
            Map<String, Double> cpuAfter = Bench.cpuSeconds(platform);
            ndjsonPosCpu.add(cpuAfter.get("pos") - cpu.get("pos"));
            ndjsonPostgresCpu.add(cpuAfter.get("postgres") - cpu.get("postgres"));
            ndjsonBytes = read[0];
            started = System.nanoTime();
            zipBytes = readArchive(tenant, expected);
            zip.add((System.nanoTime() - started) / 1e6);
            platform.log("round %d: copy %.0f ms, copy of the lines %.0f ms, ndjson %.0f ms, zip %.0f ms", round, copy.get(round - 1),
                    copyLines.get(round - 1), ndjson.get(round - 1), zip.get(round - 1));
        }
        int[] heap = heap(gcLog);
        String report = String.format(Locale.ROOT, """
                # Export benchmark

                pos tenant of %d rows (plus 3,000 rows in each other service for the ZIP), %d rounds, medians.

                | what | median ms | rounds ms | rows/s | ratio to copy |
                |---|---|---|---|---|
                | psql copy … to stdout (CSV, the limit) | %.0f | %s | %.0f | 1.00 |
                | psql copy of the export's own NDJSON lines (text) | %.0f | %s | %.0f | %.2f |
                | pos-service NDJSON export (%d MB) | %.0f | %s | %.0f | %.2f |
                | orchestrator ZIP, three services (%d MB) | %.0f | %s | %.0f | %.2f |

                pos-service's export against psql's copy of the same lines: %.2f.

                pos-service heap (GC log, -Xmx64m): largest after a collection %d MB, largest before one %d MB, largest committed %d MB,
                %d collections.

                CPU seconds during each NDJSON export (median of the rounds): pos-service %.2f; PostgreSQL %.2f.
                """, expected, rounds, median(copy), rounds(copy), expected / median(copy) * 1000,
                median(copyLines), rounds(copyLines), expected / median(copyLines) * 1000, median(copyLines) / median(copy), ndjsonBytes >> 20, median(ndjson), rounds(ndjson),
                expected / median(ndjson) * 1000, median(ndjson) / median(copy), zipBytes >> 20, median(zip), rounds(zip),
                expected / median(zip) * 1000, median(zip) / median(copy), median(ndjson) / median(copyLines), heap[0], heap[1], heap[2], heap[3],
                median(ndjsonPosCpu), median(ndjsonPostgresCpu));
        Files.writeString(WORK.resolve("report.md"), report);
        System.out.println(report);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.stop();
        }
    }

    /** psql's {@code \copy} of the tenant's rows of every pos table, as CSV, into nothing: what the database and a client can do. */
    private double psqlCopy(UUID tenant) throws Exception {
        List<String> copies = new ArrayList<>();
        for (String table : POS_TABLES) {
            copies.add("\\copy (select * from " + table + " where tenant_id = '" + tenant + "') to stdout with csv");
        }
        return psql(copies);
    }

    /**
     * psql's {@code \copy} commands of the very NDJSON lines of the export ({@link TenantExport#line}, as text), parents
     * first, into nothing: what the database and a client can do with the JSON written, the export's own work.
     */
    private List<String> lineCopies(UUID tenant) throws Exception {
        List<String> copies = new ArrayList<>();
        try (Connection db = platform.connect("pos");
                PreparedStatement columns = db.prepareStatement(TenantExport.COLUMNS.replace("$1", "?"))) {
            for (String table : POS_TABLES) {
                List<TenantExport.ExportColumn> all = new ArrayList<>();
                columns.setString(1, table);
                try (ResultSet rows = columns.executeQuery()) {
                    while (rows.next()) {
                        all.add(new TenantExport.ExportColumn(rows.getString(1), rows.getString(2)));
                    }
                }
                copies.add("\\copy (select " + TenantExport.line(table, false, all) + " from " + table + " e where e.tenant_id = '"
                        + tenant + "') to stdout");
            }
        }
        return copies;
    }

    private double psql(List<String> copies) throws Exception {
        var server = Platform.SERVER;
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-h", server.host(), "-p", String.valueOf(server.port()),
                "-U", server.user(), "-d", platform.database("pos")));
        for (String copy : copies) {
            command.add("-c");
            command.add(copy);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PGTZ", "UTC");
        if (server.password() != null) {
            builder.environment().put("PGPASSWORD", server.password());
        }
        long started = System.nanoTime();
        assertEquals(0, builder.start().waitFor());
        return (System.nanoTime() - started) / 1e6;
    }

    /** pos-service's export read to its end: {bytes, lines}; its summary must count every row. */
    private long[] readExport(UUID tenant, long expected) throws Exception {
        HttpResponse<InputStream> response = Bench.HTTP.send(HttpRequest.newBuilder(URI.create(platform.serviceUri("pos", "/tenant/" + tenant + "/export")))
                .header("Authorization", "Bearer " + Platform.token("pos")).timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        // bytes as they come, no decoding (what a client saving the file does): lines counted, the last one kept
        long bytes = 0;
        long lines = 0;
        java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        byte[] last = new byte[0];
        byte[] buffer = new byte[1 << 16];
        try (InputStream body = response.body()) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                bytes += n;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                        if (i - start < 4096 && current.size() < 4096) {
                            current.write(buffer, start, i - start);
                            last = current.toByteArray();
                        }
                        current.reset();
                        start = i + 1;
                    }
                }
                if (current.size() < 4096) {
                    current.write(buffer, start, Math.min(n - start, 4096));
                }
            }
        }
        JsonNode summary = Bench.JSON.readTree(new String(last, StandardCharsets.UTF_8)).path("summary");
        assertEquals(expected, summary.path("total_rows").asLong(), "the export is complete");
        assertEquals(expected + 1, lines);
        return new long[] {bytes, lines};
    }

    /** The orchestrator's archive read through ZipInputStream: its bytes; the manifest must count pos's every row. */
    private long readArchive(UUID tenant, long expected) throws Exception {
        HttpResponse<InputStream> response = Bench.HTTP.send(HttpRequest.newBuilder(URI.create(platform.baseUri("orchestrator")
                        + "/api/v1/tenants/" + tenant + "/export")).header("Authorization", "Bearer " + Platform.token("orchestrator"))
                .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        CountingStream counted = new CountingStream(response.body());
        JsonNode manifest = null;
        try (ZipInputStream archive = new ZipInputStream(counted)) {
            byte[] buffer = new byte[1 << 16];
            for (ZipEntry entry = archive.getNextEntry(); entry != null; entry = archive.getNextEntry()) {
                if (entry.getName().equals("manifest.json")) {
                    manifest = Bench.JSON.readTree(archive.readAllBytes());
                } else {
                    while (archive.read(buffer) >= 0) {
                        // read through: the time to take the archive
                    }
                }
            }
        }
        assertTrue(manifest != null, "the archive has its manifest");
        for (JsonNode service : manifest.path("services")) {
            if (service.path("service").asText().equals("pos-service")) {
                assertEquals(expected, service.path("total_rows").asLong());
            }
        }
        return counted.count;
    }

    /** {largest heap after a GC, largest before one, largest committed, collections}, in MB, from a -Xlog:gc log. */
    private static int[] heap(Path gcLog) throws IOException {
        int after = 0;
        int before = 0;
        int committed = 0;
        int collections = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                before = Math.max(before, Integer.parseInt(m.group(1)));
                after = Math.max(after, Integer.parseInt(m.group(2)));
                committed = Math.max(committed, Integer.parseInt(m.group(3)));
                collections++;
            }
        }
        return new int[] {after, before, committed, collections};
    }

    private static String rounds(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(0, n);
            return n;
        }
    }
}
