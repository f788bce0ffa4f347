package dev.tenantdeletion.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The export (contract, third edition, "Export before deletion") of every service and test schema: every row of the
 * tenant exactly once with its values typed so PostgreSQL reads them back into the same rows, no neighbour's row,
 * parents first, the summary's counts those of the preview and its sha256 that of the lines; one snapshot while the
 * tenant keeps writing; a client that goes away ends the export's transaction. Who may export is
 * {@link AccessPolicySuite}'s table.
 */
public abstract class ExportSuite extends DeletionCheckSuite {

    private static final int EXPORT_ROWS = 60;
    private static final int MANY_READS_ROWS = 4_000;

    @Test
    void anExportHoldsEveryRowOfTheTenantOnceParentsFirstWithItsSummary() {
        exportIsWhole(EXPORT_ROWS);
    }

    /** Tables of several cursor reads each (500 rows a read), so reads overlap the writing of earlier chunks. */
    @Test
    void aTenantOfManyReadsIsExportedWhole() {
        exportIsWhole(MANY_READS_ROWS);
    }

    private void exportIsWhole(int rows) {
        UUID tenant = seededTenant(rows);
        UUID neighbour = seededTenant(EXPORT_ROWS);
        Map<String, String> expected = checksums(tenant);

        Response response = export(TestTokens.service(), tenant.toString());
        response.then().statusCode(200);
        assertTrue(response.contentType().startsWith("application/x-ndjson"), response.contentType());
        TenantExportLines export = TenantExportLines.of(response.asString());

        List<String> parentsFirst = new ArrayList<>(tables());
        Collections.reverse(parentsFirst);
        assertEquals(parentsFirst, export.tableOrder(), "planned tables, parents first (seeded rows in each)");
        for (String table : tables()) {
            assertEquals(expected.get(table), PlannedRows.checksumOfJson(table, export.rowsAsJsonArray(table)),
                    table + ": the exported rows, read back by PostgreSQL, are the tenant's rows (count:fingerprint)");
        }
        assertEquals(longs(preview(TestTokens.service(), tenant), "data_counts"), export.summaryCounts(), "counts equal the preview's");
        assertEquals(TestDb.total(counts(tenant)), export.summary().get("total_rows").asLong());
        assertEquals(tenant.toString(), export.summary().get("tenant_id").asText());
        assertEquals(serviceName, export.summary().get("service").asText());
        assertTrue(Collections.disjoint(ids(export), idsOf(neighbour)), "no row of the neighbour");
    }

    @Test
    void aTenantWithoutRowsExportsOnlyItsSummary() {
        Response response = export(TestTokens.service(), UUID.randomUUID().toString());
        response.then().statusCode(200);
        TenantExportLines export = TenantExportLines.of(response.asString());
        assertEquals(List.of(), export.tableOrder());
        assertEquals(0L, export.summary().get("total_rows").asLong());
        assertEquals(tables(), new ArrayList<>(export.summaryCounts().keySet()), "every planned table counted");
    }

    @Test
    void badTenantIdsAreRefusedAsAnywhereElse() {
        export(TestTokens.service(), "not-a-uuid").then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("invalid_tenant_id"));
        export(null, UUID.randomUUID().toString()).then().statusCode(401);
    }

    /**
     * The tenant writes while its export runs: the last table (read last) is locked, so the export is held mid-way
     * after its first lines; rows the tenant's application writes then (children of its rows) are absent.
     */
    @Test
    void anExportIsOneSnapshotWhileTheTenantKeepsWriting() throws Exception {
        UUID tenant = seededTenant(EXPORT_ROWS);
        Map<String, String> before = checksums(tenant);
        Map<String, Long> countsBefore = counts(tenant);
        String lastRead = tables().get(0);
        try (Connection writer = TestDb.connect()) {
            writer.setAutoCommit(false);
            try (Statement lock = writer.createStatement()) {
                lock.execute("lock table " + lastRead + " in access exclusive mode");
            }
            try (InputStream body = openExport(tenant); BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                StringBuilder all = new StringBuilder(lines.readLine()).append('\n');
                try (Statement write = writer.createStatement()) {
                    for (int i = 0; i < 3; i++) {
                        write.execute(seeder().lateChild(tenant).insertSql());
                    }
                }
                writer.commit();
                lines.lines().forEach(line -> all.append(line).append('\n'));
                TenantExportLines export = TenantExportLines.of(all.toString());
                assertEquals(countsBefore, export.summaryCounts(), "rows written after the export started are not in it");
                for (String table : tables()) {
                    assertEquals(before.get(table), PlannedRows.checksumOfJson(table, export.rowsAsJsonArray(table)), table);
                }
            }
        }
        assertTrue(TestDb.total(counts(tenant)) > TestDb.total(countsBefore), "the writes did commit");
    }

    /** The client reads the first line and goes away while the export waits on a lock: its transaction ends, its connection is free. */
    @Test
    void aClientThatGoesAwayEndsTheExport() throws Exception {
        UUID tenant = seededTenant(EXPORT_ROWS);
        String lastRead = tables().get(0);
        try (Connection writer = TestDb.connect()) {
            writer.setAutoCommit(false);
            try (Statement lock = writer.createStatement()) {
                lock.execute("lock table " + lastRead + " in access exclusive mode");
            }
            try (InputStream body = openExport(tenant)) {
                assertTrue(body.read() == '{', "the export started");
                awaitExportBackends(1, "the export waits on the lock");
            }
            writer.rollback();
        }
        awaitExportBackends(0, "the export's transaction ended after the client went away");
    }

    private InputStream openExport(UUID tenant) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + basePath + "/tenant/" + tenant + "/export"))
                .header("Authorization", "Bearer " + TestTokens.service()).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** Waits until {@code expected} backends are inside an export's transaction (its cursor statements). */
    private static void awaitExportBackends(int expected, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int found = -1;
        while (System.nanoTime() < deadline) {
            try (Connection db = TestDb.connect(); Statement statement = db.createStatement();
                    ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where datname = current_database() "
                            + "and pid <> pg_backend_pid() and state <> 'idle' and query like '/* tenant_export */%'")) {
                rs.next();
                found = rs.getInt(1);
            }
            if (found == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": " + found + " export backends, expected " + expected);
    }

    private static List<String> ids(TenantExportLines export) {
        return export.rows().values().stream().flatMap(List::stream).map(row -> row.path("id").asText()).collect(Collectors.toList());
    }

    private List<String> idsOf(UUID tenant) {
        try (Connection db = TestDb.connect()) {
            List<String> ids = new ArrayList<>();
            for (String table : tables()) {
                ids.addAll(PlannedRows.ids(plan, table, tenant, db));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
