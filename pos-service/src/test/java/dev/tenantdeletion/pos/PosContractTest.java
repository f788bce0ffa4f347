package dev.tenantdeletion.pos;

import dev.tenantdeletion.testing.DeletionContractSuite;
import dev.tenantdeletion.testing.PostgresTestDatabase;
import dev.tenantdeletion.testing.ServedDocument;
import dev.tenantdeletion.testing.TenantSeeder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresTestDatabase.class)
class PosContractTest extends DeletionContractSuite {

    @Override
    protected TenantSeeder seeder() {
        return new PosSeeder();
    }

    /** What this service serves at /q/openapi is docs/openapi/<service>.json, the copy Redocly lints and the README links. */
    @Test
    void servedOpenApiIsTheCommittedCopy() {
        ServedDocument.assertCommitted(serviceName);
    }
}
