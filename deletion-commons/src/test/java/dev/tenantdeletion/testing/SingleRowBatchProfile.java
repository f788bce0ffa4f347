package dev.tenantdeletion.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Batched deletion one row at a time: a table of N rows takes N + 1 transactions in one call. */
public class SingleRowBatchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("deletion.batch-size", "1");
    }
}
