package dev.tenantdeletion.orchestrator.reverify.store;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The re-verification sweep's state in the job store: its lease (one sweep at a time over every replica, on the
 * database's clock, as a job's), each service's pass (keyset cursor over the erased tenants) and the findings. Every
 * write of a sweep is fenced by its lease (the lease row read {@code FOR SHARE} in the write's transaction, so a
 * replica that took the sweep over orders after it), so a sweep that lost its lease changes nothing.
 */
@ApplicationScoped
public class ReverificationStore {

    /**
     * A page of jobs after a cursor, in the order of the (tenant_id, created_at desc, id desc) index, so an index scan that
     * stops after {@code limit} rows (the planner's choice for the generic plan too, unlike a distinct-on over the table):
     * a tenant's first row in it is its most recent job. A tenant cut off by the limit has its most recent job in the page
     * all the same; its older ones the next page skips.
     */
    private static final String PAGE = """
            select tenant_id, id, status from deletion_jobs where %s
             order by tenant_id, created_at desc, id desc
             limit $1""";

    private static final String PAGE_FIRST = PAGE.formatted("true");
    private static final String PAGE_AFTER = PAGE.formatted("tenant_id > $2");

    /** The lease row, still this owner's and not expired: the fence of every write of a sweep. */
    private static final String FENCE = """
            select 1 from reverification_lease where lease_owner = $1 and lease_expires_at > now() for share""";

    private final Pool pool;

    public ReverificationStore(Pool pool) {
        this.pool = pool;
    }

    /** Takes the sweep's lease when it is free, expired (a dead replica's) or already this owner's; whether it did. */
    public Uni<Boolean> acquire(String owner, Duration lease) {
        return pool.preparedQuery("""
                        update reverification_lease set lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2)
                         where lease_owner is null or lease_expires_at < now() or lease_owner = $1""")
                .execute(Tuple.of(owner, seconds(lease)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Extends the lease; false when this owner no longer holds it. */
    public Uni<Boolean> renew(String owner, Duration lease) {
        return pool.preparedQuery("""
                        update reverification_lease set lease_expires_at = now() + make_interval(secs => $2)
                         where lease_owner = $1 and lease_expires_at > now()""")
                .execute(Tuple.of(owner, seconds(lease)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives the lease up (the sweep ended), so the next sweep anywhere need not wait for it to expire. */
    public Uni<Void> release(String owner) {
        return pool.preparedQuery("update reverification_lease set lease_owner = null, lease_expires_at = null where lease_owner = $1")
                .execute(Tuple.of(owner)).replaceWithVoid();
    }

    /** Whether another sweep holds the lease now. */
    public Uni<Boolean> heldByAnother(String owner) {
        return pool.preparedQuery("""
                        select 1 from reverification_lease
                         where lease_owner is not null and lease_owner <> $1 and lease_expires_at > now()""")
                .execute(Tuple.of(owner)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Whether one of these services needs a sweep: never swept (no row, or no pass ever completed), a pass under way
     * (left by a replica that stopped or died), or its last pass completed {@code interval} ago or earlier.
     */
    public Uni<Boolean> due(List<String> services, Duration interval) {
        return pool.preparedQuery("""
                        select exists (select 1 from unnest($1::text[]) as s(service)
                                         left join reverification_progress p on p.service = s.service
                                        where p.service is null or p.pass_started_at is not null or p.last_completed_at is null
                                           or p.last_completed_at <= now() - make_interval(secs => $2)) as due""")
                .execute(Tuple.of(services.toArray(String[]::new), seconds(interval)))
                .map(rows -> rows.iterator().next().getBoolean("due"));
    }

    /**
     * Starts a pass for each of these services that is due and has none under way ({@code everything}: a new pass
     * from the first tenant for every one of them, whatever they had), under the lease; the passes under way now,
     * or empty when the lease was lost.
     */
    public Uni<Optional<List<Pass>>> startPasses(String owner, List<String> services, Duration interval, boolean everything) {
        String[] names = services.toArray(String[]::new);
        return fenced(owner, connection -> connection
                .preparedQuery("insert into reverification_progress (service) select unnest($1::text[]) on conflict do nothing")
                .execute(Tuple.of((Object) names))
                .chain(() -> connection.preparedQuery("""
                                update reverification_progress
                                   set pass_started_at = now(), cursor_tenant_id = null, pass_tenants = 0
                                 where service = any($1)
                                   and ($3 or (pass_started_at is null and (last_completed_at is null
                                        or last_completed_at <= now() - make_interval(secs => $2))))""")
                        .execute(Tuple.of(names, seconds(interval), everything)))
                .chain(() -> connection.preparedQuery("""
                                select service, cursor_tenant_id from reverification_progress
                                 where service = any($1) and pass_started_at is not null order by service""")
                        .execute(Tuple.of((Object) names)))
                .map(rows -> {
                    List<Pass> passes = new ArrayList<>();
                    rows.forEach(row -> passes.add(new Pass(row.getString("service"), row.getUUID("cursor_tenant_id"))));
                    return passes;
                }));
    }

    /**
     * The next page after {@code cursor} (null: from the first tenant): at most {@code limit} jobs read, so at most that
     * many erased tenants (those whose most recent job is completed), in tenant_id order.
     */
    public Uni<ErasedPage> erasedAfter(UUID cursor, int limit) {
        var query = cursor == null ? pool.preparedQuery(PAGE_FIRST).execute(Tuple.of((long) limit))
                : pool.preparedQuery(PAGE_AFTER).execute(Tuple.of((long) limit, cursor));
        return query.map(rows -> {
            List<ErasedTenant> erased = new ArrayList<>();
            UUID last = null;
            for (Row row : rows) {
                UUID tenant = row.getUUID("tenant_id");
                if (tenant.equals(last)) {
                    continue; // an older job of the tenant: its most recent came first
                }
                last = tenant;
                if (JobStatus.COMPLETED.value().equals(row.getString("status"))) {
                    erased.add(new ErasedTenant(tenant, row.getUUID("id")));
                }
            }
            return new ErasedPage(erased, last, rows.rowCount() < limit);
        });
    }

    /**
     * One page done, under the lease: each service's cursor moved to {@code cursor} (a pass already beyond it keeps its own) and its pass's count grown by the
     * tenants it checked in the page ({@code checked}), the findings recorded; {@code completed}: those services' passes
     * end here (their last completed pass is now, with the count). False when the lease was lost (nothing written).
     */
    public Uni<Boolean> advance(String owner, UUID cursor, Map<String, Integer> checked, List<Finding> findings, boolean completed) {
        String[] services = checked.keySet().toArray(String[]::new);
        Long[] counts = checked.values().stream().map(Integer::longValue).toArray(Long[]::new);
        return fenced(owner, connection -> connection.preparedQuery("""
                                update reverification_progress p
                                   set cursor_tenant_id = greatest(p.cursor_tenant_id, $3::uuid), pass_tenants = p.pass_tenants + c.checked
                                  from unnest($1::text[], $2::int8[]) as c(service, checked)
                                 where p.service = c.service""")
                        .execute(Tuple.of(services, counts, cursor))
                        .chain(() -> insertFindings(connection, findings))
                        .chain(() -> completed ? connection.preparedQuery("""
                                        update reverification_progress
                                           set last_completed_at = now(), last_pass_started_at = pass_started_at,
                                               last_pass_tenants = pass_tenants,
                                               pass_started_at = null, cursor_tenant_id = null
                                         where service = any($1)""")
                                .execute(Tuple.of((Object) services)).replaceWithVoid() : Uni.createFrom().voidItem())
                        .replaceWith(Boolean.TRUE))
                .map(Optional::isPresent);
    }

    private static Uni<Void> insertFindings(SqlConnection connection, List<Finding> findings) {
        if (findings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = findings.stream().map(f -> Tuple.from(Arrays.asList(UUID.randomUUID(), f.tenantId(), f.service(),
                new JsonObject(new LinkedHashMap<>(f.counts())), f.rows(), f.erasedBy(), f.followUpJobId()))).toList();
        return connection.preparedQuery("""
                        insert into reverification_findings (id, tenant_id, service, counts, total_rows, erased_by_job_id, follow_up_job_id)
                        values ($1, $2, $3, $4, $5, $6, $7)""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** The gauges' figures over these (the registered) services. */
    public Uni<SweepFigures> figures(List<String> services) {
        return pool.preparedQuery("""
                        select count(p.last_completed_at) = cardinality($1::text[]) as all_swept,
                               coalesce(extract(epoch from min(p.last_completed_at)), 0)::float8 as oldest,
                               coalesce((select last_pass_tenants from reverification_progress
                                          where service = any($1) and last_completed_at is not null
                                          order by last_completed_at desc, last_pass_tenants desc limit 1), 0) as tenants
                          from reverification_progress p where p.service = any($1)""")
                .execute(Tuple.of((Object) services.toArray(String[]::new)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new SweepFigures(row.getBoolean("all_swept") ? row.getDouble("oldest") : 0, row.getLong("tenants"));
                });
    }

    /** Runs {@code write} (its item never null) in a transaction that first checks the lease is still {@code owner}'s; empty when it is not. */
    private <T> Uni<Optional<T>> fenced(String owner, java.util.function.Function<SqlConnection, Uni<T>> write) {
        return pool.withTransaction(connection -> connection.preparedQuery(FENCE).execute(Tuple.of(owner))
                .chain(held -> held.rowCount() == 0 ? Uni.createFrom().item(Optional.<T>empty())
                        : write.apply(connection).map(Optional::of)));
    }

    /** Tenant ids in the database's order (uuid compares byte by byte, unsigned): how the pages are read. */
    static int compare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
