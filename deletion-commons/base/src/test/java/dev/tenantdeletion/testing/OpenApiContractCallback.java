package dev.tenantdeletion.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Puts {@link OpenApiContractFilter} in front of every REST Assured request of every {@code @QuarkusTest} of every module
 * that has deletion-base's test-jar (registered in META-INF/services): the services' shared contract suites, the
 * engine's test schemas and the orchestrator's tests alike, without a line in any of them.
 */
public class OpenApiContractCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        OpenApiContractFilter.install();
    }
}
