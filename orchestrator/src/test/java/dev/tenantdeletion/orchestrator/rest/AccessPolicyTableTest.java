package dev.tenantdeletion.orchestrator.rest;

import static dev.tenantdeletion.orchestrator.support.Api.JOBS;
import static dev.tenantdeletion.orchestrator.support.Api.as;
import static dev.tenantdeletion.orchestrator.support.Api.awaitFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.orchestrator.support.Api;
import dev.tenantdeletion.orchestrator.support.JobRows;
import dev.tenantdeletion.orchestrator.support.OrchestratorTestResource;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The orchestrator's access policy ({@code access/OrchestratorAccess}) as one table: every kind of valid token × every
 * operation, each cell the status the real endpoint answers. Each cell runs on a tenant of its own, set up for that
 * operation (a job in the right status, a hold in place), and a refused operation must leave it exactly as it was.
 * Invalid tokens (401) are AuthorisationAndInputTest's matrix.
 */
@QuarkusTest
@WithTestResource(OrchestratorTestResource.class)
class AccessPolicyTableTest {

    /**
     * The contract's "Who:" lines. Admin operations (execute-now, legal holds placed, replaced or lifted, a re-verification run) need a service
     * token with scope deletion:admin; a user's scope counts for nothing. Retry of a failed job: 202 when allowed.
     */
    private static final String TABLE = """
            | token kind                               | create | read | list | retry | cancel | execute-now | place hold | replace hold | lift hold | read hold | certificate | preview | reverify |
            | service, no scope                        | 202    | 200  | 200  | 202   | 200    | 403         | 403        | 403          | 403       | 200       | 200         | 200     | 403      |
            | service, another scope                   | 202    | 200  | 200  | 202   | 200    | 403         | 403        | 403          | 403       | 200       | 200         | 200     | 403      |
            | service, scope deletion:admin            | 202    | 200  | 200  | 202   | 200    | 202         | 200        | 200          | 204       | 200       | 200         | 200     | 200      |
            | service, deletion:admin among others     | 202    | 200  | 200  | 202   | 200    | 202         | 200        | 200          | 204       | 200       | 200         | 200     | 200      |
            | service, scope as a JSON array           | 202    | 200  | 200  | 202   | 200    | 202         | 200        | 200          | 204       | 200       | 200         | 200     | 200      |
            | owner of the tenant                      | 202    | 200  | 200  | 403   | 200    | 403         | 403        | 403          | 403       | 200       | 200         | 200     | 403      |
            | owner of the tenant, scope deletion:admin| 202    | 200  | 200  | 403   | 200    | 403         | 403        | 403          | 403       | 200       | 200         | 200     | 403      |
            | admin of the tenant                      | 403    | 200  | 200  | 403   | 403    | 403         | 403        | 403          | 403       | 200       | 200         | 200     | 403      |
            | member of the tenant                     | 403    | 403  | 403  | 403   | 403    | 403         | 403        | 403          | 403       | 403       | 403         | 403     | 403      |
            | owner of another tenant                  | 403    | 403  | 403  | 403   | 403    | 403         | 403        | 403          | 403       | 403       | 403         | 403     | 403      |
            | admin of another tenant                  | 403    | 403  | 403  | 403   | 403    | 403         | 403        | 403          | 403       | 403       | 403         | 403     | 403      |
            | no type claim                            | 403    | 403  | 403  | 403   | 403    | 403         | 403        | 403          | 403       | 403       | 403         | 403     | 403      |
            | no type claim, scope deletion:admin      | 403    | 403  | 403  | 403   | 403    | 403         | 403        | 403          | 403       | 403       | 403         | 403     | 403      |
            """;

    private static final Duration FINISH = Duration.ofSeconds(30);

    /** The token of each row, for the tenant of the cell. */
    private static final Map<String, Function<UUID, String>> KINDS = TestTokens.accessKinds();

    /** A cell's tenant, and the job arranged for it (null when the operation needs none). */
    record Scene(UUID tenant, UUID job) {
    }

    /**
     * One column: what is arranged before the call (a job in a status, a hold), the call, what an allowed call started
     * (awaited, so no job outlives its cell) and the check that a refused call changed nothing.
     */
    record Operation(String column, boolean admin, String jobStatus, boolean held, BiFunction<Scene, String, Response> call,
            Consumer<Scene> untouched) {

        @Override
        public String toString() {
            return column;
        }
    }

    private static final Map<String, Operation> OPERATIONS = new LinkedHashMap<>();

    static {
        add(new Operation("create", false, null, false, (s, token) -> Api.submit(token, s.tenant()),
                s -> assertEquals(0, JobRows.jobsOf(s.tenant()), "a job was stored")));
        add(new Operation("read", false, "completed", false, (s, token) -> Api.job(token, s.job().toString()), s -> { }));
        add(new Operation("list", false, "completed", false,
                (s, token) -> as(token).queryParam("tenant_id", s.tenant().toString()).get(JOBS), s -> { }));
        add(new Operation("retry", false, "failed", false, (s, token) -> Api.retry(token, s.job().toString()), jobStays("failed")));
        add(new Operation("cancel", false, "scheduled", false, (s, token) -> Api.cancel(token, s.job().toString()), jobStays("scheduled")));
        add(new Operation("execute-now", true, "scheduled", false,
                (s, token) -> Api.executeNow(token, s.job().toString(), "{\"reason\":\"customer confirmed in writing\"}"),
                jobStays("scheduled").andThen(s -> assertNull(JobRows.column(s.job(), "expedited_by")))));
        add(new Operation("place hold", true, null, false,
                (s, token) -> Api.placeHold(token, s.tenant(), "{\"reason\":\"litigation hold\"}"), holdsStay(List.of())));
        add(new Operation("replace hold", true, null, true,
                (s, token) -> Api.placeHold(token, s.tenant(), "{\"reason\":\"litigation hold, extended\"}"), holdsStay(List.of("arranged"))));
        add(new Operation("lift hold", true, null, true, (s, token) -> as(token).delete(Api.hold(s.tenant().toString())),
                holdsStay(List.of("arranged"))));
        add(new Operation("read hold", false, null, true, (s, token) -> as(token).get(Api.hold(s.tenant().toString())), s -> { }));
        add(new Operation("certificate", false, "completed", false, (s, token) -> Api.certificate(token, s.job().toString()), s -> { }));
        add(new Operation("preview", false, null, false, (s, token) -> Api.preview(token, s.tenant().toString()), s -> { }));
        // a sweep only reads (and creates follow-up jobs for tenants found with rows: none here); a refused call starts none
        add(new Operation("reverify", true, null, false, (s, token) -> sweepNow(token), s -> { }));
    }

    /** POST /api/v1/reverifications; a 409 while the start-up sweep still runs is asked again. */
    private static Response sweepNow(String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Response response = as(token).post("/api/v1/reverifications");
        while (response.statusCode() == 409 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            response = as(token).post("/api/v1/reverifications");
        }
        return response;
    }

    private static void add(Operation operation) {
        OPERATIONS.put(operation.column(), operation);
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Map.Entry<String, List<String>> row : rows().entrySet()) {
            List<String> statuses = row.getValue();
            int column = 0;
            for (Operation operation : OPERATIONS.values()) {
                cells.add(Arguments.of(row.getKey(), operation, Integer.parseInt(statuses.get(column++))));
            }
        }
        return cells.stream();
    }

    /** The table read: its header must name the operations in order, its rows the token kinds, all of them. */
    private static Map<String, List<String>> rows() {
        List<List<String>> lines = TABLE.lines().map(line -> Arrays.stream(line.split("\\|")).map(String::trim)
                .filter(cell -> !cell.isEmpty()).toList()).toList();
        assertEquals(new ArrayList<>(OPERATIONS.keySet()), lines.get(0).subList(1, lines.get(0).size()), "the table's columns");
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (List<String> line : lines.subList(1, lines.size())) {
            assertEquals(OPERATIONS.size() + 1, line.size(), "cells of " + line);
            rows.put(line.get(0), line.subList(1, line.size()));
        }
        assertEquals(KINDS.keySet(), rows.keySet(), "the table's rows");
        return rows;
    }

    @ParameterizedTest(name = "{0} × {1} → {2}")
    @MethodSource("cells")
    void theTableHolds(String kind, Operation operation, int expected) {
        Scene scene = arrange(operation);
        String token = KINDS.get(kind).apply(scene.tenant());
        Response response = operation.call().apply(scene, token);
        String label = kind + " × " + operation.column();
        assertEquals(expected, response.statusCode(), label + ": " + response.asString());
        assertTrue(response.contentType() == null || response.statusCode() == 204 || response.contentType().startsWith("application/json"),
                label + ": content type " + response.contentType());
        if (expected == 403) {
            Api.assertError(label, 403, "forbidden", response);
            assertNull(response.header("WWW-Authenticate"), label + ": only 401s are challenges");
            if (operation.admin()) {
                assertTrue(response.jsonPath().getString("message").contains("scope deletion:admin"),
                        label + ": the refusal names the missing scope: " + response.asString());
            }
            operation.untouched().accept(scene);
        } else {
            awaitWhatItStarted(operation, scene, response);
        }
    }

    /** The table is complete: every kind of token in the test has a row, every operation a column (no cell is skipped). */
    @Test
    void everyKindAndOperationHasACell() {
        assertEquals(KINDS.size() * OPERATIONS.size(), cells().count());
        assertEquals(Set.of("execute-now", "place hold", "replace hold", "lift hold", "reverify"),
                OPERATIONS.values().stream().filter(Operation::admin).map(Operation::column).collect(java.util.stream.Collectors.toSet()));
    }

    private static Scene arrange(Operation operation) {
        UUID tenant = UUID.randomUUID();
        UUID job = null;
        if (operation.jobStatus() != null) {
            job = UUID.randomUUID();
            JobRows.jobIn(job, tenant, operation.jobStatus());
        }
        if (operation.held()) {
            TestDb.execute("insert into legal_holds (id, tenant_id, reason, placed_by) values (gen_random_uuid(), '" + tenant
                    + "', 'arranged', 'access-table')");
        }
        return new Scene(tenant, job);
    }

    /** An allowed create, retry or execute-now starts a deletion: it runs to its end before the next cell. */
    private static void awaitWhatItStarted(Operation operation, Scene scene, Response response) {
        String started = switch (operation.column()) {
            case "create" -> response.jsonPath().getString("job_id");
            case "retry", "execute-now" -> scene.job().toString();
            default -> null;
        };
        if (started != null) {
            Response done = awaitFinal(TestTokens.service(), started, FINISH);
            assertEquals("completed", done.jsonPath().getString("status"), done.asString());
        }
    }

    private static Consumer<Scene> jobStays(String status) {
        return s -> assertEquals(status, JobRows.status(s.job()), "the job's status");
    }

    /** The reasons of the tenant's holds not lifted stay {@code reasons}: nothing placed, replaced or lifted. */
    private static Consumer<Scene> holdsStay(List<String> reasons) {
        return s -> assertEquals(reasons, holdsNotLifted(s.tenant()), "the tenant's holds");
    }

    private static List<String> holdsNotLifted(UUID tenant) {
        try (Connection db = TestDb.connect();
                PreparedStatement statement = db.prepareStatement(
                        "select reason from legal_holds where tenant_id = ? and lifted_at is null order by placed_at")) {
            statement.setObject(1, tenant);
            List<String> reasons = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reasons.add(rows.getString(1));
                }
            }
            return reasons;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
