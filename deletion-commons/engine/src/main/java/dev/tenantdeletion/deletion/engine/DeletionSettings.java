package dev.tenantdeletion.deletion.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of a service's deletion engine (env: DELETION_ENABLED, DELETION_BATCH_SIZE, DELETION_LOCK_WAIT, …). */
@ConfigMapping(prefix = "deletion")
public interface DeletionSettings {

    /** The first batch size of a budgeted call when deletion.batch-size is 0 (the contract's figure); see {@link BatchSizing}. */
    int DEFAULT_BUDGET_BATCH_SIZE = 5_000;

    /** The feature flag: when false every DELETE answers 503; previews still work. */
    @WithDefault("true")
    boolean enabled();

    /** 0: one transaction per call. N > 0: each table emptied in batches of at most N rows, each its own transaction. */
    @WithDefault("0")
    int batchSize();

    /**
     * The bound of a batched call without a budget ({@code max_duration_ms}): it starts no batch after this long and
     * answers {@code complete: false}, so a tenant whose application keeps writing cannot keep one call (its
     * connection, its HTTP request) running for ever (review 2026-12-04, finding 7). A call with a budget stops at
     * its budget; one transaction is bounded by its statements' timeout.
     */
    @WithDefault("10m")
    Duration maxCallDuration();

    /**
     * A budgeted call on a tenant of at most this many rows (every planned table together, counted in the call's first
     * statement, each table up to this) deletes it in one transaction instead of batches: the size the adaptive batches
     * reach by their third, without a transaction per table and batch (docs/benchmarks.md). 0: budgeted calls always
     * batch. A configured deletion.batch-size always batches.
     */
    @WithDefault("50000")
    int wholeTenantRows();

    /** How long a call waits for the tenant's deletion lock before answering 503 deletion_in_progress. */
    @WithDefault("5s")
    Duration lockWait();

    /**
     * PostgreSQL's statement_timeout for every statement on the service's pool (a PostgreSQL duration such
     * as {@code 60s}; sent as a connection parameter, see microprofile-config.properties).
     */
    @WithDefault("60s")
    String statementTimeout();

    /**
     * How the foreign keys into the deleted rows may be enforced: {@code auto} (set-based checks with the triggers off
     * when that is exactly as safe, see {@link ForeignKeyChecks}; else the triggers) or {@code triggers} (always
     * PostgreSQL's per-row RI triggers). Each call resolves it to the {@link ForeignKeyMode} it uses.
     */
    @WithDefault("auto")
    FkChecks fkChecks();

    /**
     * Batches of fewer rows keep the triggers even in {@code auto}: the fast path costs a few round trips per
     * transaction (triggers off, the one checking statement), the triggers one probe per deleted parent row, so tiny
     * batches would only get slower (docs/benchmarks.md). One transaction always takes the fast path.
     */
    @WithDefault("1000")
    int fkChecksMinBatchRows();

    /**
     * Whether a tenant's own LIST partition of a planned table (partitioned by tenant_id, {@code FOR VALUES IN
     * ('<tenant>')}) is erased whole — counted, detached, dropped — instead of deleted row by row (docs/plans.md).
     */
    @WithDefault("true")
    boolean wholePartitions();

    /**
     * How long erasing a whole partition waits for its locks (the partition against writes, then the partitioned table
     * ACCESS EXCLUSIVE, which every query on it queues behind) before the call deletes the rows instead.
     */
    @WithDefault("200ms")
    Duration partitionLockTimeout();

    /** The operator's setting deletion.fk-checks; not the mode a call uses ({@link ForeignKeyMode}: fast or triggers). */
    enum FkChecks {
        AUTO, TRIGGERS
    }

    Receipts receipts();

    interface Receipts {
        /** Receipts whose last call is older than this are pruned. */
        @WithDefault("P30D")
        Duration retention();

        /** How often the pruning runs (and once at start-up). */
        @WithDefault("1h")
        Duration pruneInterval();
    }
}
