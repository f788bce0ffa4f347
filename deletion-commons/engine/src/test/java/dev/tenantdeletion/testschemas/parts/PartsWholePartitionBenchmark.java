package dev.tenantdeletion.testschemas.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Not a test (classes named *Benchmark are outside the default test run): a whale — a tenant with {@code bench.rows}
 * events (default 1,000,000) in a partition of its own — erased by the engine (a budgeted DELETE over HTTP, as the
 * orchestrator calls it: the partition counted, detached and dropped) next to the raw {@code delete from events where
 * tenant_id = ?} of an identical tenant (JDBC, one transaction) and the raw count + DETACH + DROP. Meanwhile a reader
 * of a neighbour's events measures how long the erasure makes the table's other tenants wait. Checked: counts exact,
 * partitions gone, the neighbour unchanged. Command: docs/benchmarks.md.
 */
@QuarkusTest
@TestProfile(SchemaProfile.Parts.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsWholePartitionBenchmark extends ServiceTestSupport {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }

    @Test
    void wholePartitionAgainstDelete() throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        UUID neighbour = seededTenant(1_000);
        var neighbourBefore = checksums(neighbour);
        List<String> lines = new ArrayList<>();
        List<double[]> figures = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            UUID viaEngine = whale(rows);
            UUID viaDelete = whale(rows);
            UUID viaDetach = whale(rows);
            TestDb.execute("vacuum analyze events");
            double delete;
            double count;
            double detach;
            try (Connection db = TestDb.connect()) {
                long start = System.nanoTime();
                db.setAutoCommit(false);
                try (PreparedStatement statement = db.prepareStatement("delete from events where tenant_id = ?")) {
                    statement.setObject(1, viaDelete);
                    assertEquals(rows, statement.executeUpdate());
                }
                db.commit();
                delete = (System.nanoTime() - start) / 1e6;
                String partition = PartsSeeder.ownPartition(viaDetach);
                start = System.nanoTime();
                try (Statement sql = db.createStatement()) {
                    try (ResultSet rs = sql.executeQuery("select count(*) from " + partition)) {
                        rs.next();
                        assertEquals(rows, rs.getLong(1));
                    }
                    count = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    sql.execute("alter table events detach partition " + partition);
                    sql.execute("drop table " + partition);
                }
                db.commit();
                detach = (System.nanoTime() - start) / 1e6;
                db.setAutoCommit(true);
            }
            TestDb.execute("drop table " + PartsSeeder.ownPartition(viaDelete));
            Reader reader = new Reader(neighbour);
            Thread probe = new Thread(reader);
            probe.start();
            Thread.sleep(300);
            long start = System.nanoTime();
            JsonPath answer = JsonPath.from(send("/tenant/" + viaEngine + "?max_duration_ms=600000"));
            double engine = (System.nanoTime() - start) / 1e6;
            Thread.sleep(300);
            reader.stop.set(true);
            probe.join();
            assertEquals(rows, answer.getLong("summary.deleted_counts.events"));
            assertEquals(0L, TestDb.total(counts(viaEngine)));
            assertFalse(PartsWholePartitionTest.exists(PartsSeeder.ownPartition(viaEngine)));
            assertEquals(neighbourBefore, checksums(neighbour), "the neighbour changed");
            double worstRead = reader.worst.get() / 1e6;
            figures.add(new double[] {engine, answer.getLong("summary.duration_ms"), delete, count, detach, worstRead, reader.median()});
            lines.add(String.format("| %d | %,d | %.0f | %d | %.0f | %.0f | %.0f | %.2f | %.1f | %.1f |", round, rows, engine,
                    answer.getLong("summary.duration_ms"), delete, count, detach, engine / delete, worstRead, reader.median()));
        }
        System.out.printf("%nwhole partition: a tenant of %,d events in its own partition (LIST by tenant_id, with a default partition)%n", rows);
        System.out.println("| round | rows | engine ms (HTTP, budgeted: count + detach + drop) | engine ms (server) | raw DELETE ms (JDBC, one tx)"
                + " | raw count(*) ms (JDBC) | raw DETACH + DROP + commit ms (JDBC) | engine / DELETE | neighbour's read, worst ms"
                + " | neighbour's read, median ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
        double[] m = new double[7];
        for (int i = 0; i < 7; i++) {
            int column = i;
            m[i] = median(figures.stream().map(f -> f[column]).toList());
        }
        System.out.printf("| median | | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f | %.1f |%n%n", m[0], m[1], m[2], m[3], m[4],
                m[0] / m[2], m[5], m[6]);
    }

    /** A tenant with {@code rows} events in a partition of its own, and a few accounts. */
    private UUID whale(int rows) {
        UUID tenant = UUID.randomUUID();
        TestDb.execute("create table " + PartsSeeder.ownPartition(tenant) + " partition of events for values in ('" + tenant + "')",
                "insert into accounts (id, tenant_id, name) select gen_random_uuid(), '" + tenant + "', 'a' || g from generate_series(1, 10) g",
                "insert into events (id, tenant_id, account_id, kind) select gen_random_uuid(), '" + tenant + "', null, 'login'"
                        + " from generate_series(1, " + rows + ") g");
        return tenant;
    }

    /** Reads a neighbour's events in a loop (each read its own statement): how long does one wait at worst? */
    private static final class Reader implements Runnable {
        private final UUID tenant;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong worst = new AtomicLong();
        private final List<Long> all = Collections.synchronizedList(new ArrayList<>());

        Reader(UUID tenant) {
            this.tenant = tenant;
        }

        @Override
        public void run() {
            try (Connection db = TestDb.connect();
                    PreparedStatement read = db.prepareStatement("select count(*) from events where tenant_id = ?")) {
                read.setObject(1, tenant);
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                    }
                    long took = System.nanoTime() - start;
                    all.add(took);
                    worst.accumulateAndGet(took, Math::max);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        double median() {
            List<Long> sorted = new ArrayList<>(all);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
        }
    }

    private String send(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + basePath + path))
                    .header("Authorization", "Bearer " + TestTokens.service()).method("DELETE", HttpRequest.BodyPublishers.noBody()).build();
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
