package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.model.JobStatus;
import dev.tenantdeletion.orchestrator.model.JobStatus.Transition;
import dev.tenantdeletion.orchestrator.model.Outcome;
import dev.tenantdeletion.orchestrator.model.ServiceStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A job's status changes, each one a row of {@link Transition} bound as its SQL guard: create, promote when due,
 * cancel, execute now, finish, retry. Plain SQL on the reactive pool. The moves a legal hold can refuse are
 * decided under the tenant's lock ({@link TenantLocks}); who runs a job is {@link Leases}' part, what its service
 * runs did {@link ServiceRunWrites}'.
 */
@ApplicationScoped
public class JobStore {

    private static final String ACTIVE_UNIQUE_INDEX = "uq_deletion_jobs_active_tenant";

    /**
     * The insert names the partial unique index by its predicate (the statuses written out: a bound array would
     * not match it); the job starts scheduled when its execute_after is ahead, else pending.
     */
    private static final String INSERT_JOB = """
            with due as (select coalesce($6::timestamptz,
                             case when $7::float8 > 0 then now() + make_interval(secs => $7::float8) end) as at)
            insert into deletion_jobs (id, tenant_id, tenant_name, reason, requested_by, status, execute_after, export_sha256)
            select $1, $2, $3, $4, $5, case when due.at is not null and due.at > now() then $8 else $9 end, due.at, $10
              from due
            on conflict (tenant_id)""" + " where " + JobStatus.inList("status", JobStatus.unsettled()) + """

            do nothing returning id""";

    /** Scheduled jobs due and not on hold, oldest first, taken without waiting for another sweeping replica. */
    private static final String DUE = """
            select id, tenant_id from deletion_jobs j
             where status = any($2) and execute_after <= now() and not""" + TenantLocks.holdInForce("j.tenant_id") + """

             order by execute_after
             limit $1
             for update skip locked""";

    /** The due jobs whose tenant lock was free, still not on hold (read again under that lock, a fresh snapshot). */
    private static final String PROMOTE = """
            update deletion_jobs j set status = $3
             where j.id = any($1) and j.tenant_id = any($2) and j.status = any($4)
               and not""" + TenantLocks.holdInForce("j.tenant_id") + """

            returning j.id""";

    private final Pool pool;
    private final GuardedTransition guarded;

    public JobStore(Pool pool) {
        this.pool = pool;
        this.guarded = new GuardedTransition(pool);
    }

    /**
     * Creates the job with one pending service run per service, or — when the tenant already has a scheduled,
     * pending or running job — answers that one ({@link Outcome#job}). The partial unique index decides between
     * concurrent callers; a legal hold in force refuses it ({@code ON_HOLD}, read under the tenant's lock, so a
     * hold placed at the same moment is either seen here or refused there).
     */
    public Uni<Outcome> createOrFindActive(NewJob job, List<String> services) {
        return createOrFindActive(job, services, 3);
    }

    private Uni<Outcome> createOrFindActive(NewJob job, List<String> services, int triesLeft) {
        return pool.withTransaction(connection -> TenantLocks.lock(connection, job.tenantId())
                        .chain(() -> TenantLocks.onHold(connection, job.tenantId()))
                        .chain(onHold -> onHold ? Uni.createFrom().item(Optional.of(Outcome.ON_HOLD)) : insertOrFind(connection, job, services)))
                .chain(outcome -> outcome.map(o -> Uni.createFrom().item(o)).orElseGet(() -> {
                    // the active job finished between our insert and our look-up: try again
                    if (triesLeft <= 1) {
                        return Uni.createFrom().failure(new IllegalStateException("could not create a job for tenant " + job.tenantId()));
                    }
                    return createOrFindActive(job, services, triesLeft - 1);
                }));
    }

    /** The new job with its service runs, or the tenant's active job; empty when neither (that one finished meanwhile). */
    private static Uni<Optional<Outcome>> insertOrFind(SqlConnection connection, NewJob job, List<String> services) {
        UUID id = UUID.randomUUID();
        Double graceSeconds = job.gracePeriod() == null ? null : Leases.seconds(job.gracePeriod());
        OffsetDateTime executeAfter = job.executeAfter() == null ? null : job.executeAfter().atOffset(ZoneOffset.UTC);
        return connection.preparedQuery(INSERT_JOB)
                .execute(Tuple.from(Arrays.asList(id, job.tenantId(), job.tenantName(), job.reason(), job.requestedBy(),
                        executeAfter, graceSeconds, JobStatus.SCHEDULED.value(), JobStatus.PENDING.value(), job.exportSha256())))
                .chain(inserted -> inserted.rowCount() == 1
                        ? insertServices(connection, id, services).replaceWith(Optional.of(Outcome.job(id, true)))
                        : activeJob(connection, job.tenantId()).map(active -> active.map(a -> Outcome.job(a, false))));
    }

    private static Uni<Void> insertServices(SqlConnection connection, UUID jobId, List<String> services) {
        if (services.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = services.stream().map(service -> Tuple.of(UUID.randomUUID(), jobId, service, ServiceStatus.INITIAL.value()))
                .toList();
        return connection.preparedQuery("insert into deletion_job_services (id, job_id, service, status) values ($1, $2, $3, $4)")
                .executeBatch(rows).replaceWithVoid();
    }

    private static Uni<Optional<UUID>> activeJob(SqlConnection connection, UUID tenant) {
        return connection.preparedQuery("select id from deletion_jobs where tenant_id = $1 and status = any($2)")
                .execute(Tuple.of(tenant, JobStatus.asText(JobStatus.unsettled())))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    /**
     * A re-verification's follow-up job (third edition): inserted only while {@code followsJobId} is still the tenant's
     * most recent job (a tenant that got another job since the sweep read it is no longer erased by that job), and
     * only when no job of the tenant is active (the partial unique index). It is scheduled {@code gracePeriod} from
     * now; on hold it is scheduled even with PT0S (due at once), so the hold keeps it waiting as it keeps any due
     * scheduled job ({@code blocked_by: legal_hold}) instead of the finding being lost.
     */
    private static final String INSERT_FOLLOW_UP = """
            with due as (select now() + make_interval(secs => $6::float8) as at),
                 latest as (select id from deletion_jobs where tenant_id = $2 order by created_at desc, id desc limit 1)
            insert into deletion_jobs (id, tenant_id, tenant_name, reason, requested_by, status, execute_after, follows_job_id)
            select $1, $2, (select tenant_name from deletion_jobs where id = $5), $3, $4,
                   case when $7 or $6::float8 > 0 then $8 else $9 end,
                   case when $7 or $6::float8 > 0 then due.at end, $5
              from due
             where (select id from latest) = $5
            on conflict (tenant_id)""" + " where " + JobStatus.inList("status", JobStatus.unsettled()) + """

            do nothing returning id""";

    /**
     * Creates the follow-up job of a tenant found with rows after {@code followsJobId} had erased it, with one pending
     * service run per service: {@link Outcome#job} (created), or the tenant's active job (not created), or
     * {@code NOT_ALLOWED} when {@code followsJobId} is no longer the tenant's most recent job. Decided under the
     * tenant's lock, as a new job is.
     */
    public Uni<Outcome> createFollowUp(UUID tenant, UUID followsJobId, String reason, String requestedBy, Duration gracePeriod,
            List<String> services) {
        return pool.withTransaction(connection -> TenantLocks.lock(connection, tenant)
                .chain(() -> TenantLocks.onHold(connection, tenant))
                .chain(onHold -> {
                    UUID id = UUID.randomUUID();
                    return connection.preparedQuery(INSERT_FOLLOW_UP)
                            .execute(Tuple.from(Arrays.asList(id, tenant, reason, requestedBy, followsJobId, Leases.seconds(gracePeriod),
                                    onHold, JobStatus.SCHEDULED.value(), JobStatus.PENDING.value())))
                            .chain(inserted -> inserted.rowCount() == 1
                                    ? insertServices(connection, id, services).replaceWith(Outcome.job(id, true))
                                    : activeJob(connection, tenant).map(active -> active.map(a -> Outcome.job(a, false))
                                            .orElse(Outcome.NOT_ALLOWED)));
                }));
    }

    /**
     * Scheduled jobs whose execute_after has passed become pending (then any replica's claim starts them),
     * up to {@code limit}; the ids promoted. A job of a tenant on hold stays scheduled. Rows are taken with
     * {@code SKIP LOCKED} and tenants with a non-blocking lock, so replicas sweeping at once never wait for each
     * other and never promote a job twice; the hold is read after both locks are held, by a statement of its own
     * (a fresh snapshot), so a hold placed a moment earlier is always seen.
     */
    public Uni<List<UUID>> promoteDue(int limit) {
        return pool.withTransaction(connection -> connection.preparedQuery(DUE)
                .execute(Tuple.of((long) limit, Transition.PROMOTE_DUE.fromValues()))
                .chain(due -> {
                    List<UUID> ids = new ArrayList<>();
                    List<UUID> tenants = new ArrayList<>();
                    due.forEach(row -> {
                        ids.add(row.getUUID("id"));
                        tenants.add(row.getUUID("tenant_id"));
                    });
                    return ids.isEmpty() ? Uni.createFrom().item(List.<UUID>of()) : promote(connection, ids, tenants);
                }));
    }

    private static Uni<List<UUID>> promote(SqlConnection connection, List<UUID> ids, List<UUID> tenants) {
        return connection.preparedQuery("select t from unnest($1::uuid[]) as t where" + TenantLocks.tryLock("t"))
                .execute(Tuple.of(tenants.toArray(UUID[]::new)))
                .chain(locked -> {
                    List<UUID> lockedTenants = new ArrayList<>();
                    locked.forEach(row -> lockedTenants.add(row.getUUID("t")));
                    return connection.preparedQuery(PROMOTE).execute(Tuple.of(ids.toArray(UUID[]::new), lockedTenants.toArray(UUID[]::new),
                            Transition.PROMOTE_DUE.to().value(), Transition.PROMOTE_DUE.fromValues()));
                })
                .map(promoted -> {
                    List<UUID> result = new ArrayList<>();
                    promoted.forEach(row -> result.add(row.getUUID("id")));
                    return result;
                });
    }

    /** A scheduled job becomes cancelled (when, by whom); any other status is left alone ({@code NOT_ALLOWED}). */
    public Uni<Outcome> cancel(UUID jobId, String by) {
        return pool.preparedQuery("""
                        update deletion_jobs set status = $3, cancelled_at = now(), cancelled_by = $2
                         where id = $1 and status = any($4)""")
                .execute(Tuple.of(jobId, by, Transition.CANCEL.to().value(), Transition.CANCEL.fromValues()))
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(Outcome.DONE) : exists(jobId)
                        .map(found -> found ? Outcome.NOT_ALLOWED : Outcome.NOT_FOUND));
    }

    /**
     * A scheduled job becomes pending now (by whom, when, why). Refused on hold: a hold outranks a request to
     * hurry, as it outranks a new job or a retry.
     */
    public Uni<Outcome> executeNow(UUID jobId, String by, String reason) {
        return guarded.run(jobId, Transition.EXECUTE_NOW, connection -> connection.preparedQuery("""
                        update deletion_jobs
                           set status = $4, expedited_by = $2, expedited_at = now(), expedite_reason = $3
                         where id = $1""")
                .execute(Tuple.of(jobId, by, reason, Transition.EXECUTE_NOW.to().value())));
    }

    /**
     * Puts a failed or partially failed job back to pending, its service runs that did not complete too; refused
     * on hold, and ({@code OTHER_JOB_ACTIVE}) when the tenant has another active job, as the unique index says.
     */
    public Uni<Outcome> resetForRetry(UUID jobId) {
        return guarded.run(jobId, Transition.RETRY, connection -> connection.preparedQuery("""
                                update deletion_job_services
                                   set status = $2, error = null, verified = false, remaining_items = null, completed_at = null
                                 where job_id = $1 and status = any($3)""")
                        .execute(Tuple.of(jobId, ServiceStatus.Transition.RETRY.to().value(), ServiceStatus.Transition.RETRY.fromValues()))
                        .chain(() -> connection.preparedQuery("""
                                        update deletion_jobs
                                           set status = $2, verified = false, completed_at = null,
                                               lease_owner = null, lease_expires_at = null
                                         where id = $1""")
                                .execute(Tuple.of(jobId, Transition.RETRY.to().value()))))
                .onFailure(JobStore::activeJobConflict).recoverWithItem(Outcome.OTHER_JOB_ACTIVE);
    }

    private Uni<Boolean> exists(UUID jobId) {
        return pool.preparedQuery("select 1 from deletion_jobs where id = $1").execute(Tuple.of(jobId))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends the claim: the job's status follows from its service runs' ({@code completed} when every one
     * completed and verified, {@code failed} when none did, {@code partially_failed} otherwise) and the lease is
     * released. A job without any service is {@code failed}: nothing was verified, so it must never read as an
     * erasure. {@code registry} is the registry the claim ran against (sorted): it is recorded with the job, and
     * the job is {@code completed} only when every service it names has a verified service run, so no finish
     * reports an erasure that skipped a registered service. Empty when the lease was lost.
     */
    public Uni<Optional<JobStatus>> finish(UUID jobId, String leaseOwner, List<String> registry) {
        // one statement: the row lock of the UPDATE orders it after any write of the lease holder
        return pool.preparedQuery("""
                        with s as (select count(*) as total,
                                          count(*) filter (where status = $3 and verified) as done,
                                          count(*) filter (where status = $3 and verified and service = any($8)) as registry_done
                                     from deletion_job_services where job_id = $1),
                             v as (select s.total > 0 and s.done = s.total and s.registry_done = cardinality($8::text[]) as verified
                                     from s)
                        update deletion_jobs j
                           set status = case when s.total = 0 or s.done = 0 then $4
                                             when v.verified then $5 else $6 end,
                               verified = v.verified, registry = $8::text[], completed_at = now(),
                               lease_owner = null, lease_expires_at = null
                          from s, v
                         where j.id = $1 and j.lease_owner = $2 and j.status = any($7)
                        returning j.status""")
                .execute(Tuple.from(Arrays.asList(jobId, leaseOwner, ServiceStatus.COMPLETED.value(), Transition.FINISH_FAILED.to().value(),
                        Transition.FINISH_COMPLETED.to().value(), Transition.FINISH_PARTIALLY_FAILED.to().value(),
                        Transition.FINISH_COMPLETED.fromValues(), registry.toArray(String[]::new))))
                .map(rows -> rows.rowCount() == 0 ? Optional.<JobStatus>empty()
                        : Optional.of(JobStatus.of(rows.iterator().next().getString("status"))));
    }

    private static boolean activeJobConflict(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getErrorMessage() != null && pg.getErrorMessage().contains(ACTIVE_UNIQUE_INDEX);
    }
}
