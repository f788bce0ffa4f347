package dev.tenantdeletion.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.coverage.CoverageCheck;
import dev.tenantdeletion.deletion.coverage.CoverageReport;
import dev.tenantdeletion.deletion.engine.DeletionEngine;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every service must keep, run against the real service on a real PostgreSQL database.
 * A service runs it by subclassing with {@code @QuarkusTest @WithTestResource(PostgresTestDatabase.class)}
 * and supplying its seeder. Its parts: the access policy as a table ({@link AccessPolicySuite}), the deletion check
 * ({@link DeletionCheckSuite}), and here everything else.
 */
public abstract class DeletionContractSuite extends AccessPolicySuite {

    private static final int ROWS = 60;

    @Inject
    CoverageCheck coverage;

    /** A token kind, and the statuses the preview and the delete of the token's own tenant must answer. */
    record TokenCase(String name, String token, int preview, int delete) {
    }

    private List<TokenCase> tokenCases(UUID tenant) {
        UUID otherTenant = UUID.randomUUID();
        return List.of(
                new TokenCase("no token", null, 401, 401),
                new TokenCase("malformed", TestTokens.malformed(), 401, 401),
                new TokenCase("expired", TestTokens.expired(), 401, 401),
                new TokenCase("expired 10 s ago (leeway is at most 5 s)", TestTokens.expiredSecondsAgo(10), 401, 401),
                new TokenCase("not yet valid", TestTokens.notYetValid(), 401, 401),
                new TokenCase("valid only in 10 s", TestTokens.notBeforeSecondsAhead(10), 401, 401),
                new TokenCase("without exp", TestTokens.withoutExpiry(), 401, 401),
                new TokenCase("wrong signature", TestTokens.wrongSignature(), 401, 401),
                new TokenCase("wrong issuer", TestTokens.wrongIssuer(), 401, 401),
                new TokenCase("alg none", TestTokens.algNone(), 401, 401),
                new TokenCase("HS256 keyed with the public key", TestTokens.hs256WithPublicKey(), 401, 401),
                new TokenCase("without aud", TestTokens.withoutAudience(), 401, 401),
                new TokenCase("service token for the orchestrator", TestTokens.serviceFor("orchestrator"), 401, 401),
                new TokenCase("service token for another service", TestTokens.serviceFor(anotherService()), 401, 401),
                new TokenCase("aud an array naming other processes only",
                        TestTokens.serviceForAudiences("orchestrator", anotherService()), 401, 401),
                new TokenCase("owner of the tenant, token for the orchestrator", TestTokens.userFor("orchestrator", "owner", tenant), 401, 401),
                new TokenCase("service, aud an array naming this service",
                        TestTokens.serviceForAudiences("orchestrator", TestTokens.defaultAudience()), 200, 200),
                new TokenCase("without type claim", TestTokens.withoutType(), 403, 403),
                new TokenCase("member of the tenant", TestTokens.user("member", tenant), 403, 403),
                new TokenCase("admin of another tenant", TestTokens.user("admin", otherTenant), 403, 403),
                new TokenCase("owner of another tenant", TestTokens.user("owner", otherTenant), 403, 403),
                new TokenCase("admin of the tenant", TestTokens.user("admin", tenant), 200, 403),
                new TokenCase("owner of the tenant", TestTokens.user("owner", tenant), 200, 403),
                new TokenCase("service", TestTokens.service(), 200, 200));
    }

    /** A service of the platform that is not the one under test (its tokens must be refused here). */
    private static String anotherService() {
        return "pos-service".equals(TestTokens.defaultAudience()) ? "external-service" : "pos-service";
    }

    /** aud may be a string or an array; a DELETE with the service's own audience in an array is done. */
    @Test
    void audienceAsAnArrayIsAccepted() {
        UUID tenant = seededTenant(ROWS);
        String token = TestTokens.serviceForAudiences("orchestrator", TestTokens.defaultAudience());
        delete(token, tenant).then().statusCode(200);
        Map<String, Long> left = longs(preview(TestTokens.service(), tenant).then().statusCode(200).extract().response(), "data_counts");
        assertEquals(0L, left.values().stream().mapToLong(Long::longValue).sum(), left.toString());
    }

    @Test
    void previewAuthorisationMatrix() {
        UUID tenant = seededTenant(ROWS);
        for (TokenCase c : tokenCases(tenant)) {
            Response response = preview(c.token(), tenant);
            assertEquals(c.preview(), response.statusCode(), c.name() + ": " + response.asString());
            assertJsonError(response, c.name());
            BearerChallenges.assertChallenge(c.name(), c.token(), response);
        }
    }

    /** exp and nbf are checked with a few seconds of leeway for clock skew (at most 5 s), never SmallRye's default 60 s. */
    @Test
    void tokenClockLeewayIsAFewSeconds() {
        UUID tenant = seededTenant(ROWS);
        preview(TestTokens.expiredSecondsAgo(3), tenant).then().statusCode(200);
        preview(TestTokens.notBeforeSecondsAhead(3), tenant).then().statusCode(200);
        for (String token : List.of(TestTokens.expiredSecondsAgo(10), TestTokens.notBeforeSecondsAhead(10))) {
            Response preview = preview(token, tenant);
            assertEquals(401, preview.statusCode(), preview.asString());
            BearerChallenges.assertChallenge("preview", token, preview);
            Response delete = delete(token, tenant);
            assertEquals(401, delete.statusCode(), delete.asString());
            BearerChallenges.assertChallenge("delete", token, delete);
        }
    }

    /** Every 401, whatever its cause, carries the RFC 6750 challenge and the JSON error body. */
    @Test
    void every401CarriesTheBearerChallenge() {
        String tenantPath = basePath + "/tenant/" + UUID.randomUUID();
        Response basic = given().header("Authorization", "Basic dXNlcjpwYXNz").get(tenantPath + "/deletion-preview");
        assertEquals(401, basic.statusCode(), basic.asString());
        assertEquals("Bearer", basic.header("WWW-Authenticate"), "another scheme sends no bearer token");
        assertJsonError(basic, "Basic credentials");
        Response empty = given().header("Authorization", "Bearer ").delete(tenantPath);
        assertEquals(401, empty.statusCode(), empty.asString());
        assertJsonError(empty, "empty bearer token");
        for (String token : List.of(TestTokens.malformed(), TestTokens.wrongSignature(), TestTokens.expired())) {
            Response response = given().header("Authorization", "bearer " + token).delete(tenantPath);
            assertEquals(401, response.statusCode(), response.asString());
            assertEquals("Bearer error=\"invalid_token\"", response.header("WWW-Authenticate"));
            assertJsonError(response, "lower-case scheme");
        }
        // only 401s are challenges
        Response forbidden = delete(TestTokens.user("owner", UUID.randomUUID()), UUID.randomUUID());
        assertEquals(403, forbidden.statusCode());
        assertEquals(null, forbidden.header("WWW-Authenticate"));
    }

    @Test
    void deleteAuthorisationMatrixTouchesNothingUntilAllowed() {
        UUID tenant = seededTenant(ROWS);
        Map<String, String> before = checksums(tenant);
        for (TokenCase c : tokenCases(tenant)) {
            if (c.delete() == 200) {
                continue;
            }
            Response response = delete(c.token(), tenant);
            assertEquals(c.delete(), response.statusCode(), c.name() + ": " + response.asString());
            assertJsonError(response, c.name());
            BearerChallenges.assertChallenge(c.name(), c.token(), response);
        }
        assertEquals(before, checksums(tenant), "a refused DELETE changed rows");
        delete(TestTokens.service(), tenant).then().statusCode(200);
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    @Test
    void badTenantIdsAre400AndTouchNothing() {
        UUID neighbour = seededTenant(ROWS);
        Map<String, String> before = checksums(neighbour);
        String valid = UUID.randomUUID().toString();
        List<String> bad = List.of(
                "abc",
                encode("'; drop table " + tables().get(0) + "; --"),
                encode("' or '1'='1"),
                "a".repeat(10 * 1024),
                encode("{" + valid + "}"),
                encode("urn:uuid:" + valid),
                valid.replace("-", ""),
                valid + "0",
                valid.substring(1),
                encode(" " + valid),
                valid.replace('-', '_'),
                "g" + valid.substring(1));
        for (String segment : bad) {
            for (Response response : List.of(preview(TestTokens.service(), segment), delete(TestTokens.service(), segment))) {
                String label = segment.length() > 60 ? segment.substring(0, 60) + "..." : segment;
                assertEquals(400, response.statusCode(), label + ": " + response.asString());
                response.then().body("error", equalTo("invalid_tenant_id")).body("message", notNullValue());
            }
        }
        // an encoded slash may be routed as another path: then a JSON 404, never a deletion
        for (String segment : List.of(valid.substring(0, 8) + "%2F" + valid.substring(9), "..%2F..%2F" + valid)) {
            for (Response response : List.of(preview(TestTokens.service(), segment), delete(TestTokens.service(), segment))) {
                assertTrue(response.statusCode() == 400 || response.statusCode() == 404, segment + ": " + response.statusCode());
                assertJsonError(response, segment);
            }
        }
        assertEquals(before, checksums(neighbour), "a bad request changed rows");
    }

    @Test
    void upperCaseTenantIdIsTheSameTenant() {
        UUID tenant = seededTenant(ROWS);
        String upper = tenant.toString().toUpperCase(Locale.ROOT);
        Map<String, Long> expected = counts(tenant);
        Response preview = preview(TestTokens.service(), upper);
        preview.then().statusCode(200).body("tenant_id", equalTo(tenant.toString()));
        assertEquals(expected, longs(preview, "data_counts"));
        Response deleted = delete(TestTokens.service(), upper);
        deleted.then().statusCode(200).body("summary.tenant_id", equalTo(tenant.toString()));
        assertEquals(expected, longs(deleted, "summary.deleted_counts"));
    }

    @Test
    void previewAnswersTheContractShape() {
        UUID tenant = seededTenant(ROWS);
        Map<String, Long> expected = counts(tenant);
        Response response = preview(TestTokens.service(), tenant);
        response.then().statusCode(200)
                .body("tenant_id", equalTo(tenant.toString()))
                .body("service", equalTo(serviceName))
                .body("total_items", equalTo((int) TestDb.total(expected)));
        assertEquals(expected, longs(response, "data_counts"));
        assertEquals(plan.retained(), response.jsonPath().getMap("retained"), "retained lists the plan's retention rules");
        assertEquals(tables(), new ArrayList<>(longs(response, "data_counts").keySet()));
        expected.values().forEach(count -> assertTrue(count > 0, "the seeder must fill every table: " + expected));

        Map<String, Long> zeros = longs(preview(TestTokens.service(), UUID.randomUUID()), "data_counts");
        assertEquals(tables(), new ArrayList<>(zeros.keySet()), "every table is listed, 0 when empty");
        zeros.values().forEach(count -> assertEquals(0L, count));
    }

    @Test
    void deleteRemovesTheTenantAndNothingElse() {
        UUID tenant = seededTenant(ROWS);
        List<UUID> neighbours = List.of(seededTenant(ROWS), seededTenant(ROWS), seededTenant(ROWS));
        Map<UUID, Map<String, String>> before = checksums(neighbours);

        Map<String, Long> preview = longs(preview(TestTokens.service(), tenant).then().statusCode(200).extract().response(), "data_counts");
        Response response = delete(TestTokens.service(), tenant);
        response.then().statusCode(200)
                .body("message", equalTo("Tenant data deletion completed in " + serviceName))
                .body("summary.service_name", equalTo(serviceName))
                .body("summary.success", equalTo(true))
                .body("summary.complete", equalTo(true))
                .body("summary.errors.size()", equalTo(0))
                .body("summary.duration_ms", notNullValue())
                .body("summary.total_deleted", equalTo((int) TestDb.total(preview)));
        assertEquals(preview, longs(response, "summary.deleted_counts"), "deleted counts equal the preview, table by table");

        counts(tenant).forEach((table, count) -> assertEquals(0L, count, table + " still has rows of the tenant"));
        assertEquals(before, checksums(neighbours), "a neighbour's rows changed");
    }

    @Test
    void deleteIsIdempotent() {
        UUID tenant = seededTenant(ROWS);
        delete(TestTokens.service(), tenant).then().statusCode(200);
        for (UUID target : List.of(tenant, UUID.randomUUID())) {
            Response again = delete(TestTokens.service(), target);
            again.then().statusCode(200).body("summary.total_deleted", equalTo(0)).body("summary.success", equalTo(true));
            assertEquals(tables(), new ArrayList<>(longs(again, "summary.deleted_counts").keySet()));
            longs(again, "summary.deleted_counts").values().forEach(count -> assertEquals(0L, count));
        }
    }

    @Test
    void concurrentDeletesReportEachRowOnce() throws Exception {
        UUID tenant = seededTenant(ROWS * 4);
        Map<String, Long> seeded = counts(tenant);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Response>> calls = Collections.nCopies(4, () -> delete(TestTokens.service(), tenant));
            Map<String, Long> reported = new LinkedHashMap<>();
            for (Future<Response> future : pool.invokeAll(calls)) {
                Response response = future.get();
                assertEquals(200, response.statusCode(), response.asString());
                longs(response, "summary.deleted_counts").forEach((table, n) -> reported.merge(table, n, Long::sum));
            }
            assertEquals(seeded, reported, "together the calls report every row exactly once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    /**
     * A statement fails mid-plan (a trigger raises): 500 deletion_failed, everything rolled back. The answer says what
     * failed in stable words, never the server's text (the trigger's message, SQLSTATE, "ERROR:", a stack); that detail
     * is in the log line, with the tenant and the Idempotency-Key (which carries the orchestrator's job id).
     */
    @Test
    void failureMidPlanRollsEverythingBack() {
        UUID tenant = seededTenant(ROWS);
        Map<String, String> before = checksums(tenant);
        String failingTable = tables().get(tables().size() - 1);
        String key = UUID.randomUUID() + ":" + serviceName;
        TestDb.execute(TestTriggers.failAlways(failingTable));
        Response response;
        try (LogCapture log = LogCapture.of(DeletionEngine.class.getName())) {
            try {
                response = request(TestTokens.service()).header("Idempotency-Key", key).delete(basePath + "/tenant/" + tenant);
                response.then().statusCode(500)
                        .body("error", equalTo("deletion_failed"))
                        .body("message", equalTo("deletion failed: database error"))
                        .body("summary.success", equalTo(false))
                        .body("summary.complete", equalTo(false))
                        .body("summary.errors", equalTo(List.of("deletion failed: database error")))
                        .body("summary.total_deleted", equalTo(0));
            } finally {
                TestDb.execute(TestTriggers.drop(failingTable));
            }
            for (String raw : List.of("forced test failure", "SQLSTATE", "P0001", "ERROR", "Exception", "\tat ")) {
                assertFalse(response.asString().contains(raw), "the answer carries " + raw + ": " + response.asString());
            }
            List<String> lines = log.linesWith("tenant deletion failed", tenant.toString(), key, "forced test failure on " + failingTable,
                    "SQLSTATE P0001");
            assertEquals(1, lines.size(), "one log line with the detail, the tenant and the key: " + log.lines());
        }
        assertEquals(before, checksums(tenant), "a failed deletion left the tenant changed");
    }

    @Test
    void crossTenantReferenceIs409AndDeletesNothing() throws Exception {
        UUID tenant = seededTenant(ROWS);
        UUID other = seededTenant(ROWS);
        String referencingTable;
        try (Connection db = TestDb.connect()) {
            referencingTable = seeder().referenceAcrossTenants(db, tenant, other);
        }
        Map<String, String> before = checksums(tenant);
        Map<String, String> otherBefore = checksums(other);

        delete(TestTokens.service(), tenant).then().statusCode(409)
                .body("error", equalTo("foreign_key_conflict"))
                .body("message", containsString(referencingTable))
                .body("summary.success", equalTo(false));
        assertEquals(before, checksums(tenant), "nothing of the tenant may be deleted");
        assertEquals(otherBefore, checksums(other));

        // once the referencing tenant is gone, the first one deletes cleanly
        delete(TestTokens.service(), other).then().statusCode(200);
        delete(TestTokens.service(), tenant).then().statusCode(200);
        assertEquals(0L, TestDb.total(counts(tenant)));
    }

    /** The foreign-key check mode this run expects (tests connect as a superuser: fast unless a profile says triggers). */
    protected String expectedForeignKeyChecks() {
        return "fast";
    }

    @Test
    void foreignKeyCheckModeIsInReadinessAndMetrics() {
        delete(TestTokens.service(), UUID.randomUUID()).then().statusCode(200);
        HealthChecks.details(basePath).then()
                .body("checks.find { it.name == 'deletion-plan-coverage' }.data.'fk-checks'", equalTo(expectedForeignKeyChecks()));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("tenant_deletion_fk_check_mode{")
                        && line.contains("mode=\"" + expectedForeignKeyChecks() + "\"") && line.endsWith(" 1.0")),
                "no tenant_deletion_fk_check_mode gauge at 1 for " + expectedForeignKeyChecks());
    }

    /**
     * Not ready while a tenant table escapes the plan. The unauthenticated readiness says DOWN and names the check,
     * nothing of the table; the details (the table, the problem) are for service tokens at {base}/health-details.
     */
    @Test
    void uncoveredTenantTableMakesTheServiceNotReady() {
        given().get("/q/health/ready").then().statusCode(200);
        TestDb.execute("create table deletion_test_untracked (id uuid primary key, tenant_id uuid not null)");
        try {
            for (String path : List.of("/q/health/ready", "/q/health")) {
                Response ready = HealthChecks.publicAnswer(path);
                ready.then().statusCode(503).body("status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'deletion-plan-coverage' }.status", equalTo("DOWN"));
                assertFalse(ready.asString().contains("deletion_test_untracked"), ready.asString());
            }
            HealthChecks.details(basePath).then().body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'deletion-plan-coverage' }.data.problem1", containsString("deletion_test_untracked"));
            given().get(basePath + "/health-details").then().statusCode(401);
            given().header("Authorization", "Bearer " + TestTokens.user("admin", UUID.randomUUID()))
                    .get(basePath + "/health-details").then().statusCode(403).body("error", equalTo("forbidden"));
        } finally {
            TestDb.execute("drop table deletion_test_untracked");
        }
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void planInWrongForeignKeyOrderIsRefused() {
        CoverageReport ok = coverage.check(plan).await().atMost(Duration.ofSeconds(10));
        assertTrue(ok.covered(), ok.problems().toString());
        List<String> reversed = new ArrayList<>(tables());
        Collections.reverse(reversed);
        CoverageReport wrong = coverage.check(plan, reversed).await().atMost(Duration.ofSeconds(10));
        assertFalse(wrong.covered());
        assertTrue(wrong.problems().stream().anyMatch(p -> p.contains("must come before")), wrong.problems().toString());
    }

    /**
     * The contract's schema rules: tenant_id and every FK column indexed; no ON DELETE CASCADE (or SET NULL/DEFAULT)
     * except on a foreign key the plan declares as a table's path to its parent (Pattern 2: then the engine deletes
     * and counts those children itself, before the parent).
     */
    @Test
    void schemaIndexesTenantAndForeignKeyColumnsWithoutCascade() throws Exception {
        String unindexed = """
                select c.relname || '.' || a.attname
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = c.oid
                where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0
                  and (a.attname = 'tenant_id' or exists (select 1 from pg_constraint f
                       where f.conrelid = c.oid and f.contype = 'f' and f.conkey = array[a.attnum]))
                  and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum)
                  and c.relname <> 'flyway_schema_history'""";
        String cascading = """
                select child.relname || '.' || a.attname || ' -> ' || parent.relname
                from pg_constraint f join pg_namespace n on n.oid = f.connamespace
                join pg_class child on child.oid = f.conrelid join pg_class parent on parent.oid = f.confrelid
                join pg_attribute a on a.attrelid = f.conrelid and a.attnum = f.conkey[1]
                where f.contype = 'f' and n.nspname = current_schema() and f.confdeltype in ('c', 'n', 'd')""";
        List<String> declaredPaths = plan.tables().stream().filter(t -> t.reachedThroughParent())
                .map(t -> t.tableName() + "." + t.parent().foreignKeyColumn() + " -> " + t.parent().table()).toList();
        try (Connection db = TestDb.connect(); Statement sql = db.createStatement()) {
            assertEquals(List.of(), rows(sql, unindexed));
            List<String> undeclaredCascades = new ArrayList<>(rows(sql, cascading));
            undeclaredCascades.removeAll(declaredPaths);
            assertEquals(List.of(), undeclaredCascades, "cascading foreign keys the plan does not declare as a path");
            try (var rs = sql.executeQuery("select count(*) from pg_constraint join pg_namespace n on n.oid = connamespace"
                    + " where contype = 'f' and n.nspname = current_schema()")) {
                rs.next();
                assertTrue(rs.getInt(1) > 0, "the schema has foreign keys to check");
            }
        }
    }

    private static List<String> rows(Statement sql, String query) throws java.sql.SQLException {
        List<String> rows = new ArrayList<>();
        try (var rs = sql.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void previewWhenTheDatabaseIsUnreachableIs500NeverZeros() throws Exception {
        UUID tenant = seededTenant(ROWS);
        String database = TestDb.database();
        try (Connection admin = TestDb.server().connectAdmin(); Statement sql = admin.createStatement()) {
            sql.execute("alter database " + database + " allow_connections false");
            sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "'");
            try {
                Response response = preview(TestTokens.service(), tenant);
                assertEquals(500, response.statusCode(), response.asString());
                response.then().body("error", equalTo("preview_failed")).body("data_counts", equalTo(null));
                // down, naming no host, database or error text: those are in the details
                HealthChecks.publicAnswer("/q/health/ready").then().statusCode(503)
                        .body(not(containsString(TestDb.server().host()))).body(not(containsString(database)))
                        .body(not(containsString("accepting")));
            } finally {
                sql.execute("alter database " + database + " allow_connections true");
            }
        }
        awaitStatus(() -> preview(TestTokens.service(), tenant), 200);
        awaitStatus(() -> given().get("/q/health/ready"), 200);
    }

    @Test
    void frameworkErrorsAreJson() {
        String tenantPath = basePath + "/tenant/" + UUID.randomUUID();
        Response notFound = given().header("Authorization", "Bearer " + TestTokens.service()).get(basePath + "/no-such-thing");
        assertEquals(404, notFound.statusCode());
        assertJsonError(notFound, "404 under the base path");
        Response outside = given().get("/no-such-thing-at-all");
        assertEquals(404, outside.statusCode());
        assertJsonError(outside, "404 outside the base path");
        Response notAllowed = given().header("Authorization", "Bearer " + TestTokens.service()).post(tenantPath);
        assertEquals(405, notAllowed.statusCode());
        assertJsonError(notAllowed, "405");
        assertEquals(java.util.Set.of("DELETE"), java.util.Set.of(notAllowed.header("Allow").split("\\s*,\\s*")), "405 Allow");
        Response notAcceptable = given().header("Authorization", "Bearer " + TestTokens.service())
                .accept("application/xml").get(tenantPath + "/deletion-preview");
        assertEquals(406, notAcceptable.statusCode());
        assertJsonError(notAcceptable, "406");
    }

    @Test
    void metricsCarryServiceAndTableButNoTenant() {
        UUID tenant = seededTenant(ROWS);
        preview(TestTokens.service(), tenant).then().statusCode(200);
        delete(TestTokens.service(), tenant).then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String table : tables()) {
            assertTrue(metrics.contains("tenant_deletion_rows_deleted_total{service=\"" + serviceName + "\",table=\"" + table + "\"}"),
                    "rows deleted counter for " + table);
        }
        assertTrue(metrics.contains("tenant_deletion_duration_seconds_bucket{outcome=\"success\",service=\"" + serviceName + "\""));
        assertTrue(metrics.contains("tenant_deletion_preview_duration_seconds_bucket{service=\"" + serviceName + "\""));
        assertFalse(metrics.contains(tenant.toString()), "a tenant id appears in a metric label");
    }

    /** Every path and status code of the contract is described, with a JSON schema and an example. */
    @Test
    void openApiDescribesEveryPathAndStatus() {
        OpenApiAssertions.assertDescribed(Map.of(
                basePath + "/tenant/{tenantId}/deletion-preview get", List.of("200", "400", "401", "403", "500"),
                basePath + "/tenant/{tenantId} delete", List.of("200", "400", "401", "403", "409", "422", "500", "503")));
    }

    protected static void assertJsonError(Response response, String label) {
        if (response.statusCode() < 400) {
            return;
        }
        assertTrue(response.contentType().startsWith("application/json"), label + ": content type " + response.contentType());
        response.then().body("error", notNullValue()).body("message", notNullValue());
    }

    protected static void awaitStatus(Callable<Response> call, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = call.call().statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        assertEquals(status, last, "status did not settle");
    }

    private static String encode(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
