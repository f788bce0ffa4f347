package dev.tenantdeletion.orchestrator.export.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tenantdeletion.deletion.digest.Sha256Digests;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service's export however the network cuts it into chunks: the file's hash and the summary's check are the same for
 * every cut, with NSS' SHA-256 (the default where the platform has it) and the JDK's, and an export that does not end in
 * its own whole, matching summary line is refused.
 */
class ServiceExportFileTest {

    private static final List<Sha256Digests> DIGESTS = List.of(new Sha256Digests(() -> "auto"), new Sha256Digests(() -> "off"));

    private static final String TENANT = "6f1b0c1e-8a0e-4a57-9a43-3d2f4c1b2a10";
    private static final String LINES = """
            {"table":"pos_configurations","row":{"id":"a"}}
            {"table":"pos_devices","row":{"id":"b","name":"x"}}
            {"table":"pos_devices","row":{"id":"c","name":"yz"}}
            """;

    @Test
    void everyCutOfTheFileIntoThreeChunksGivesItsHashAndPassesTheSummaryCheck() throws Exception {
        byte[] file = export(LINES, sha256(LINES.getBytes(StandardCharsets.UTF_8)));
        for (Sha256Digests digests : DIGESTS) {
            for (int first = 0; first <= file.length; first++) {
                for (int second = first; second <= file.length; second++) {
                    assertCut(digests, file, first, second);
                }
            }
        }
    }

    private static void assertCut(Sha256Digests digests, byte[] file, int first, int second) throws Exception {
        ServiceExportFile export = new ServiceExportFile("pos-service", digests.newDigest());
        export.add(Arrays.copyOfRange(file, 0, first));
        export.add(Arrays.copyOfRange(file, first, second));
        export.add(Arrays.copyOfRange(file, second, file.length));
        JsonObject entry = export.manifestEntry("pos-service.ndjson", TENANT);
        assertEquals(sha256(file), entry.getString("sha256"), () -> digests.providerName() + ", cut at " + first + " and " + second);
        assertEquals(3L, entry.getLong("total_rows"));
        assertEquals(Map.of("pos_configurations", 1, "pos_devices", 2), entry.getJsonObject("counts").getMap());
    }

    @Test
    void aByteAtATimeToo() throws Exception {
        byte[] file = export(LINES, sha256(LINES.getBytes(StandardCharsets.UTF_8)));
        for (Sha256Digests digests : DIGESTS) {
            ServiceExportFile export = new ServiceExportFile("pos-service", digests.newDigest());
            for (byte b : file) {
                export.add(new byte[] {b});
            }
            assertEquals(sha256(file), export.manifestEntry("pos-service.ndjson", TENANT).getString("sha256"), digests.providerName());
        }
    }

    @Test
    void anExportThatIsNotWholeIsRefused() throws Exception {
        byte[] whole = export(LINES, sha256(LINES.getBytes(StandardCharsets.UTF_8)));
        List<byte[]> refused = List.of(
                Arrays.copyOf(whole, whole.length - 1),                                       // the summary's newline missing
                Arrays.copyOf(whole, whole.length - 20),                                      // cut inside the summary
                LINES.getBytes(StandardCharsets.UTF_8),                                       // no summary at all
                export(LINES, sha256("other\n".getBytes(StandardCharsets.UTF_8))),            // a summary of other lines
                export(LINES.substring(LINES.indexOf('\n') + 1), sha256(LINES.getBytes(StandardCharsets.UTF_8))), // a line lost
                new byte[0]);
        for (byte[] file : refused) {
            ServiceExportFile export = new ServiceExportFile("pos-service", DIGESTS.get(0).newDigest());
            export.add(file);
            assertThrows(ServiceExportFile.IncompleteExport.class, () -> export.manifestEntry("pos-service.ndjson", TENANT),
                    new String(file, StandardCharsets.UTF_8));
        }
    }

    private static byte[] export(String lines, String sha256) {
        String summary = new JsonObject().put("summary", new JsonObject().put("tenant_id", TENANT).put("service", "pos-service")
                .put("counts", new JsonObject().put("pos_configurations", 1).put("pos_devices", 2)).put("total_rows", 3)
                .put("sha256", sha256)).encode();
        return (lines + summary + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
