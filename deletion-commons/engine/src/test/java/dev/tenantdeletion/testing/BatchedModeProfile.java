package dev.tenantdeletion.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Batched deletion with a batch far smaller than a seeded tenant; the fast path (where eligible) in batches that small too. */
public class BatchedModeProfile implements QuarkusTestProfile {

    public static final int BATCH_SIZE = 7;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("deletion.batch-size", String.valueOf(BATCH_SIZE), "deletion.fk-checks-min-batch-rows", "1");
    }
}
