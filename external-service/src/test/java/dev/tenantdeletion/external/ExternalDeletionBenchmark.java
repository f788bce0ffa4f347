package dev.tenantdeletion.external;

import dev.tenantdeletion.testing.DeletionBenchmark;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Run on demand: see docs/benchmarks.md. */
@QuarkusTest
@WithTestResource(PostgresTestDatabase.class)
class ExternalDeletionBenchmark extends DeletionBenchmark {

    @Override
    protected TenantSeeder seeder() {
        return new ExternalSeeder();
    }
}
