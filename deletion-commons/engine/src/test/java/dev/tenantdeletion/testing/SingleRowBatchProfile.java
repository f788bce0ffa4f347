package dev.tenantdeletion.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Batched deletion one row at a time: a table of N rows takes N + 1 transactions in one call. Without SQL
 * statement spans: 20,000 one-row batches are some 160,000 statements, whose spans (about 1 ms per batch on a
 * loaded 2-core machine, see docs/operations.md) would push the one call past the test client's 30 s read
 * timeout; what this profile tests is the batch loop (its stack), not tracing. The client waits 180 s: even
 * without spans the 20,000 transactions took 20-36 s on a loaded machine, and speed is not what is tested.
 */
public class SingleRowBatchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("deletion.batch-size", "1", "quarkus.otel.instrument.vertx-sql-client", "false",
                "quarkus.http.test-timeout", "180s");
    }
}
