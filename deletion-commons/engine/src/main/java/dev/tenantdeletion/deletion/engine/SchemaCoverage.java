package dev.tenantdeletion.deletion.engine;

import dev.tenantdeletion.deletion.plan.DeletionPlan;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Whether a plan covers the live schema, asked before every deletion. The coverage check implements it; the
 * engine knows only this question, so the dependency points from the coverage check to the engine.
 */
public interface SchemaCoverage {

    /** What keeps the plan from covering the schema, one sentence each; empty when it covers it. */
    Uni<List<String>> problems(DeletionPlan plan);
}
