package dev.tenantdeletion.testschemas;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.coverage.CoverageCheck;
import dev.tenantdeletion.deletion.coverage.CoverageReport;
import dev.tenantdeletion.deletion.plan.DeletionPlan;
import dev.tenantdeletion.testing.HealthChecks;
import dev.tenantdeletion.testing.ServiceTestSupport;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testing.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** What the escape tests of both schemas share: a table added to the live schema, or a plan missing a table. */
public abstract class CoverageEscapes extends ServiceTestSupport {

    @Inject
    protected CoverageCheck coverage;

    /**
     * With {@code ddl} applied the service is not ready, its readiness names {@code table} and {@code constraint}, and a
     * DELETE answers 503 coverage_failed touching nothing; dropping {@code table} makes it ready again.
     */
    protected void assertEscapeRefused(String ddl, String table, String constraint) {
        given().get("/q/health/ready").then().statusCode(200);
        UUID tenant = seededTenant(60);
        Map<String, String> before = checksums(tenant);
        TestDb.execute(ddl);
        try {
            HealthChecks.publicAnswer("/q/health/ready").then().statusCode(503)
                    .body(not(containsString(table))).body(not(containsString(constraint)));
            HealthChecks.details(basePath).then()
                    .body(containsString("table " + table + " references"))
                    .body(containsString("constraint " + constraint));
            delete(TestTokens.service(), tenant).then().statusCode(503)
                    .body("error", equalTo("coverage_failed"))
                    .body("message", containsString(table))
                    .body("message", containsString(constraint));
            assertEquals(before, checksums(tenant), "nothing deleted while the plan does not cover the schema");
        } finally {
            TestDb.execute("drop table if exists " + table + " cascade");
        }
        given().get("/q/health/ready").then().statusCode(200);
        delete(TestTokens.service(), tenant).then().statusCode(200).body("summary.complete", equalTo(true));
    }

    /** The live schema checked against another plan: not covered, and a problem names every one of {@code words}. */
    protected void assertPlanRefused(DeletionPlan other, String... words) {
        CoverageReport ok = coverage.check(plan).await().atMost(Duration.ofSeconds(10));
        assertTrue(ok.covered(), ok.problems().toString());
        CoverageReport report = coverage.check(other).await().atMost(Duration.ofSeconds(10));
        assertFalse(report.covered());
        assertTrue(report.problems().stream().anyMatch(p -> java.util.Arrays.stream(words).allMatch(p::contains)),
                "a problem naming " + String.join(", ", words) + ": " + report.problems());
    }
}
