package dev.tenantdeletion.testschemas.suppliers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Not a test (classes named *Benchmark are outside the default test run): preview and delete of a tenant of the
 * suppliers schema (Pattern 4: items and deliveries without tenant_id, a category tree) of {@code bench.rows} rows
 * next to three neighbours of the same size, through the running engine (HTTP + JWT), next to the raw statements
 * a hand-written service would run over JDBC (Pattern 4 of the original design: {@code … where fk in (select id
 * from parent where tenant_id = ?)}, children first, one transaction). Every deletion is checked: the tenant empty,
 * the counts the seeded ones, the neighbours' checksums unchanged. Command: docs/benchmarks.md.
 */
@QuarkusTest
@TestProfile(SchemaProfile.Suppliers.class)
@WithTestResource(PostgresTestDatabase.class)
class SuppliersBenchmark extends ServiceTestSupport {

    private static final int WARM_UP = 200;
    private static final int SAMPLES = 50;
    private static final String IN_ORDERS = "in (select id from purchase_orders where tenant_id = ?)";
    private static final String IN_ITEMS = "in (select i.id from purchase_order_items i where i.purchase_order_id " + IN_ORDERS + ")";
    /** The raw statements, children first: what the engine's one-transaction DELETE is compared with. */
    private static final List<String> RAW_DELETES = List.of(
            "delete from purchase_order_deliveries where purchase_order_item_id " + IN_ITEMS,
            "delete from purchase_order_items where purchase_order_id " + IN_ORDERS,
            "delete from purchase_orders where tenant_id = ?",
            "delete from suppliers where tenant_id = ?",
            "delete from supplier_categories where tenant_id = ?");
    private static final String RAW_COUNTS = "select (select count(*) from purchase_order_deliveries where purchase_order_item_id "
            + IN_ITEMS + "), (select count(*) from purchase_order_items where purchase_order_id " + IN_ORDERS + "),"
            + " (select count(*) from purchase_orders where tenant_id = ?), (select count(*) from suppliers where tenant_id = ?),"
            + " (select count(*) from supplier_categories where tenant_id = ?)";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String token = TestTokens.service();

    @Override
    protected TenantSeeder seeder() {
        return new SuppliersSeeder();
    }

    @Test
    void previewAndDeleteNextToTheRawStatements() throws Exception {
        int rows = Integer.getInteger("bench.rows", 100_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<UUID> neighbours = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        neighbours.forEach(n -> seed(n, rows));
        Map<UUID, Map<String, String>> neighboursBefore = checksums(neighbours);
        List<String> lines = new ArrayList<>();
        List<double[]> figures = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            UUID viaEngine = seededTenant(rows);
            UUID viaRaw = seededTenant(rows);
            UUID viaBatches = seededTenant(rows);
            TestDb.execute("vacuum analyze");
            Map<String, Long> seeded = counts(viaEngine);
            long total = TestDb.total(seeded);
            double preview;
            double rawPreview;
            double rawDelete;
            try (Connection db = TestDb.connect()) {
                for (int i = 0; i < WARM_UP; i++) {
                    send("GET", "/tenant/" + viaEngine + "/deletion-preview");
                    rawCounts(db, viaEngine);
                }
                List<Double> ours = new ArrayList<>();
                List<Double> theirs = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    long start = System.nanoTime();
                    send("GET", "/tenant/" + viaEngine + "/deletion-preview");
                    ours.add((System.nanoTime() - start) / 1e6);
                    start = System.nanoTime();
                    long[] raw = rawCounts(db, viaEngine);
                    theirs.add((System.nanoTime() - start) / 1e6);
                    assertEquals(total, java.util.Arrays.stream(raw).sum());
                }
                preview = median(ours);
                rawPreview = median(theirs);
                long start = System.nanoTime();
                rawDelete(db, viaRaw);
                rawDelete = (System.nanoTime() - start) / 1e6;
            }
            assertEquals(0L, TestDb.total(counts(viaRaw)));
            long start = System.nanoTime();
            JsonPath deleted = JsonPath.from(send("DELETE", "/tenant/" + viaEngine));
            double delete = (System.nanoTime() - start) / 1e6;
            assertEquals(seeded, longs(deleted.getMap("summary.deleted_counts")));
            assertEquals(0L, TestDb.total(counts(viaEngine)));
            Map<String, Long> batchSeeded = counts(viaBatches);
            start = System.nanoTime();
            JsonPath batched = JsonPath.from(send("DELETE", "/tenant/" + viaBatches + "?max_duration_ms=600000"));
            double batches = (System.nanoTime() - start) / 1e6;
            assertEquals(batchSeeded, longs(batched.getMap("summary.deleted_counts")));
            assertEquals(0L, TestDb.total(counts(viaBatches)));
            assertEquals(neighboursBefore, checksums(neighbours), "a neighbour changed");
            figures.add(new double[] {preview, rawPreview, delete, rawDelete, batches});
            lines.add(String.format("| %d | %,d | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f | %.0f | %.2f |", round, total, preview, rawPreview,
                    preview / rawPreview, delete, rawDelete, delete / rawDelete, batches, batches / rawDelete));
        }
        System.out.printf("%nsuppliers schema: tenant of %,d rows next to 3 neighbours of %,d rows each%n", rows, rows);
        System.out.println("| round | rows | preview ms (HTTP, median of " + SAMPLES + ") | raw counts ms (JDBC) | ratio"
                + " | delete ms (HTTP, one tx) | raw deletes ms (JDBC, one tx) | ratio | delete ms (HTTP, batches of 5,000) | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
        double[] m = new double[5];
        for (int i = 0; i < 5; i++) {
            int column = i;
            m[i] = median(figures.stream().map(f -> f[column]).toList());
        }
        System.out.printf("| median | | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f | %.0f | %.2f |%n%n", m[0], m[1], m[0] / m[1], m[2], m[3],
                m[2] / m[3], m[4], m[4] / m[3]);
    }

    private static long[] rawCounts(Connection db, UUID tenant) {
        try (PreparedStatement statement = db.prepareStatement(RAW_COUNTS)) {
            for (int i = 1; i <= 5; i++) {
                statement.setObject(i, tenant);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long[] counts = new long[5];
                for (int i = 0; i < 5; i++) {
                    counts[i] = rs.getLong(i + 1);
                }
                return counts;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rawDelete(Connection db, UUID tenant) throws SQLException {
        db.setAutoCommit(false);
        for (String sql : RAW_DELETES) {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                statement.setObject(1, tenant);
                statement.executeUpdate();
            }
        }
        db.commit();
        db.setAutoCommit(true);
    }

    private String send(String method, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + basePath + path))
                    .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> longs(Map<String, Object> raw) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        raw.forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
        return counts;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
