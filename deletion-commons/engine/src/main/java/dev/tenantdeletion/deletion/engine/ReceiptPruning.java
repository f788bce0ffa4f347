package dev.tenantdeletion.deletion.engine;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deletes {@link Receipts} whose last call is older than deletion.receipts.retention: once at start-up, then every
 * deletion.receipts.prune-interval (a Vert.x timer, cancelled at shut-down).
 */
@ApplicationScoped
public class ReceiptPruning {

    private static final String PRUNE = "delete from deletion_receipts where last_call_at < now() - make_interval(secs => $1)";

    private final Pool pool;
    private final Vertx vertx;
    private final DeletionSettings settings;
    private volatile long timer = -1;

    public ReceiptPruning(Pool pool, Vertx vertx, DeletionSettings settings) {
        this.pool = pool;
        this.vertx = vertx;
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) {
        prune().subscribe().with(n -> { }, f -> { });
        timer = vertx.setPeriodic(Math.max(1_000, settings.receipts().pruneInterval().toMillis()),
                id -> prune().subscribe().with(n -> { }, f -> { }));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes the receipts older than the retention; answers how many. */
    public Uni<Integer> prune() {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(settings.receipts().retention().toMillis() / 1000.0))
                .map(RowSet::rowCount)
                .invoke(n -> {
                    if (n > 0) {
                        Log.infof("pruned %d deletion receipt(s) older than %s", n, settings.receipts().retention());
                    }
                })
                .onFailure().invoke(f -> Log.warnf("could not prune deletion receipts: %s", f.getMessage()));
    }
}
