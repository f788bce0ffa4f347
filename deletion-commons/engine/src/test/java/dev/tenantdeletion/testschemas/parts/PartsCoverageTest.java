package dev.tenantdeletion.testschemas.parts;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.deletion.catalog.ForeignKey;
import dev.tenantdeletion.deletion.catalog.ForeignKeys;
import dev.tenantdeletion.deletion.coverage.CoverageReport;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import dev.tenantdeletion.testing.TestDb;
import dev.tenantdeletion.testschemas.CoverageEscapes;
import dev.tenantdeletion.testschemas.SchemaProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coverage of partitioned tables (a partition is judged as its table), of referrers in other schemas and of retained
 * tables; shares the application start of PartsContractTest.
 */
@QuarkusTest
@TestProfile(SchemaProfile.Parts.class)
@WithTestResource(PostgresTestDatabase.class)
class PartsCoverageTest extends CoverageEscapes {

    @Inject
    Pool pool;

    @Override
    protected TenantSeeder seeder() {
        return new PartsSeeder();
    }

    /** Finding 6a of the 2026-12-04 review: an unplanned partitioned referrer is named once, as its table, never by partition. */
    @Test
    void anUnplannedPartitionedReferrerIsNamedAsItsTable() {
        TestDb.execute("create table account_reports (id uuid not null, account_id uuid references accounts (id), primary key (id))"
                + " partition by hash (id); create table account_reports_p0 partition of account_reports for values with (modulus 2, remainder 0);"
                + " create table account_reports_p1 partition of account_reports for values with (modulus 2, remainder 1)");
        try {
            CoverageReport report = coverage.check(plan).await().atMost(Duration.ofSeconds(10));
            assertEquals(1, report.problems().size(), report.problems().toString());
            assertTrue(report.problems().get(0).startsWith("table account_reports references planned table accounts"), report.problems().toString());
        } finally {
            TestDb.execute("drop table account_reports");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** A foreign key declared on one partition only is the partitioned table's: planned, nothing to report. */
    @Test
    void aForeignKeyOfOnePartitionIsItsTables() {
        TestDb.execute("alter table events_default add constraint events_default_account_fk foreign key (account_id) references accounts (id)");
        try {
            CoverageReport report = coverage.check(plan).await().atMost(Duration.ofSeconds(10));
            assertTrue(report.covered(), report.problems().toString());
        } finally {
            TestDb.execute("alter table events_default drop constraint events_default_account_fk");
        }
    }

    /**
     * Finding 10: a table of another schema referencing a planned table makes the service not ready and is named with its
     * schema; the fast path's checks would name it schema-qualified too.
     */
    @Test
    void aReferrerInAnotherSchemaIsSeenAndNamedWithItsSchema() {
        TestDb.execute("create schema parts_rpt");
        try {
            TestDb.execute("create table parts_rpt.account_stats (id uuid primary key, account_id uuid references public.accounts (id))");
            List<ForeignKey> keys = ForeignKeys.read(pool).await().atMost(Duration.ofSeconds(10));
            ForeignKey stats = keys.stream().filter(k -> k.name().equals("account_stats_account_id_fkey")).findFirst().orElseThrow();
            assertEquals("parts_rpt.account_stats", stats.child().table());
            assertEquals("parts_rpt.account_stats", stats.child().quotedTable());
            assertFalse(stats.child().inCurrentSchema());
            TestDb.execute("drop table parts_rpt.account_stats");
            assertEscapeRefused("create table parts_rpt.account_stats (id uuid primary key,"
                    + " account_id uuid references public.accounts (id))", "parts_rpt.account_stats", "account_stats_account_id_fkey");
        } finally {
            TestDb.execute("drop schema parts_rpt cascade");
        }
    }

    /** Finding 15: a retained table whose rows reference planned rows is refused by coverage, not skipped. */
    @Test
    void aRetainedTableReferencingPlannedRowsIsRefused() {
        TestDb.execute("create table account_archive (id uuid primary key, tenant_id uuid not null, account_id uuid references accounts (id))");
        try {
            CoverageReport report = coverage.check(plan.retaining("account_archive", "kept ten years")).await().atMost(Duration.ofSeconds(10));
            assertFalse(report.covered(), "a retained table hanging under deleted rows");
            assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("retained table account_archive references planned table accounts"
                    + " (constraint account_archive_account_id_fkey")), report.problems().toString());
        } finally {
            TestDb.execute("drop table account_archive");
        }
    }
}
