package dev.tenantdeletion.deletion.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of a service's deletion engine (env: DELETION_ENABLED, DELETION_BATCH_SIZE). */
@ConfigMapping(prefix = "deletion")
public interface DeletionSettings {

    /** The feature flag: when false every DELETE answers 503; previews still work. */
    @WithDefault("true")
    boolean enabled();

    /** 0: one transaction per call. N > 0: each table emptied in batches of at most N rows, each its own transaction. */
    @WithDefault("0")
    int batchSize();
}
