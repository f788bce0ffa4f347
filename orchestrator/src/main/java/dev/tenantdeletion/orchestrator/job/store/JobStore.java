package dev.tenantdeletion.orchestrator.job.store;

import dev.tenantdeletion.orchestrator.fanout.Counts;
import dev.tenantdeletion.orchestrator.job.store.JobStatus.Transition;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Every write to the job store, as plain SQL on the reactive pool (no session bound to a Vert.x
 * context, so any number of service pipelines can record progress at once). Work is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and held through a lease that the owner renews while it runs; every
 * progress write is conditional on still holding the lease, so two replicas never run the same job.
 */
@ApplicationScoped
public class JobStore {

    private static final String ACTIVE_UNIQUE_INDEX = "uq_deletion_jobs_active_tenant";

    private static final String CLAIM = """
            update deletion_jobs j
               set status = $5, started_at = coalesce(j.started_at, now()),
                   lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2)
             where j.id in (select id from deletion_jobs
                             where status = any($6)
                               and (lease_expires_at is null or lease_expires_at < now())
                               and ($4::uuid is null or id = $4)
                             order by created_at
                             limit $3
                             for update skip locked)
            returning j.id, j.tenant_id""";

    /**
     * Only the lease holder may write a job's progress. {@code for share} makes it a real fence: a write
     * that races a takeover waits for the claiming transaction and then re-reads the lease, instead of
     * succeeding on the snapshot from before the claim committed.
     */
    private static final String HOLDS_LEASE = " exists (select 1 from deletion_jobs j where j.id = s.job_id and j.lease_owner = $2 for share)";

    private final Pool pool;

    public JobStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * A new job requested by someone for a tenant. {@code executeAfter} (an instant) or {@code gracePeriod}
     * (from now, as the database tells time) makes it {@code scheduled}; neither, a zero grace period or an
     * instant already past makes it {@code pending} at once.
     */
    public record NewJob(UUID tenantId, String tenantName, String reason, String requestedBy, Instant executeAfter,
            Duration gracePeriod) {

        public NewJob(UUID tenantId, String tenantName, String reason, String requestedBy) {
            this(tenantId, tenantName, reason, requestedBy, null, null);
        }
    }

    /** The id of the tenant's active job and whether this call created it; {@code held}: refused, a legal hold is in force. */
    public record Created(UUID jobId, boolean created, boolean held) {

        static final Created HELD = new Created(null, false, true);

        public Created(UUID jobId, boolean created) {
            this(jobId, created, false);
        }
    }

    /**
     * A job held under a lease. {@code leaseOwner} names the replica and this very claim
     * ({@code <replica>#<claim>}), so even a second claim by the same replica never shares a run's lease.
     */
    public record Claim(UUID jobId, UUID tenantId, String leaseOwner) {
    }

    /**
     * Serialises, per tenant, everything that decides between a legal hold and a deletion: new jobs, retries,
     * execute-now, placing a hold, and (with a non-blocking try) a scheduled job coming due.
     */
    static final String LOCK_TENANT = "select pg_advisory_xact_lock(hashtextextended($1::uuid::text, 12))";

    /** A legal hold of tenant {@code <expr>} in force now: not lifted, and without an end or ending in the future. */
    static String holdInForce(String tenantExpression) {
        // spaced on both sides: text blocks strip the trailing blank of the line it follows
        return " exists (select 1 from legal_holds h where h.tenant_id = " + tenantExpression
                + " and h.lifted_at is null and (h.until is null or h.until > now())) ";
    }

    /** Whether a legal hold of the tenant is in force, read inside the caller's transaction. */
    static Uni<Boolean> held(SqlConnection connection, UUID tenant) {
        return connection.preparedQuery("select " + holdInForce("$1") + " as held").execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().next().getBoolean("held"));
    }

    /**
     * Creates the job with one pending entry per service, or — when the tenant already has a scheduled,
     * pending or running job — returns that one. The partial unique index decides between concurrent
     * callers; a legal hold in force refuses it (checked under the tenant's lock, so a hold placed at the
     * same moment is either seen here or refused there).
     */
    public Uni<Created> createOrFindActive(NewJob job, List<String> services) {
        return createOrFindActive(job, services, 3);
    }

    private Uni<Created> createOrFindActive(NewJob job, List<String> services, int triesLeft) {
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK_TENANT).execute(Tuple.of(job.tenantId()))
                        .chain(() -> held(connection, job.tenantId()))
                        .chain(held -> held ? Uni.createFrom().item(Optional.of(Created.HELD)) : insertOrFind(connection, job, services)))
                .chain(created -> created.map(c -> Uni.createFrom().item(c)).orElseGet(() -> {
                    // the active job finished between our insert and our look-up: try again
                    if (triesLeft <= 1) {
                        return Uni.createFrom().failure(new IllegalStateException("could not create a job for tenant " + job.tenantId()));
                    }
                    return createOrFindActive(job, services, triesLeft - 1);
                }));
    }

    /**
     * The insert names the partial unique index by its predicate (the statuses written out: a bound array would
     * not match it); the job starts scheduled when its execute_after is ahead, else pending.
     */
    private static final String INSERT_JOB = """
            with due as (select coalesce($6::timestamptz,
                             case when $7::float8 > 0 then now() + make_interval(secs => $7::float8) end) as at)
            insert into deletion_jobs (id, tenant_id, tenant_name, reason, requested_by, status, execute_after)
            select $1, $2, $3, $4, $5, case when due.at is not null and due.at > now() then $8 else $9 end, due.at
              from due
            on conflict (tenant_id)""" + " where " + JobStatus.inList("status", JobStatus.nonFinal()) + """

            do nothing returning id""";

    /** The new job with its services, or the tenant's active job; empty when neither (that one finished meanwhile). */
    private static Uni<Optional<Created>> insertOrFind(SqlConnection connection, NewJob job, List<String> services) {
        UUID id = UUID.randomUUID();
        Double graceSeconds = job.gracePeriod() == null ? null : seconds(job.gracePeriod());
        OffsetDateTime executeAfter = job.executeAfter() == null ? null : job.executeAfter().atOffset(ZoneOffset.UTC);
        return connection.preparedQuery(INSERT_JOB)
                .execute(Tuple.from(Arrays.asList(id, job.tenantId(), job.tenantName(), job.reason(), job.requestedBy(),
                        executeAfter, graceSeconds, JobStatus.SCHEDULED.value(), JobStatus.PENDING.value())))
                .chain(inserted -> inserted.rowCount() == 1
                        ? insertServices(connection, id, services).replaceWith(Optional.of(new Created(id, true)))
                        : activeJob(connection, job.tenantId()).map(active -> active.map(a -> new Created(a, false))));
    }

    private static Uni<Void> insertServices(SqlConnection connection, UUID jobId, List<String> services) {
        if (services.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = services.stream().map(service -> Tuple.of(UUID.randomUUID(), jobId, service, ServiceStatus.PENDING.value()))
                .toList();
        return connection.preparedQuery("insert into deletion_job_services (id, job_id, service, status) values ($1, $2, $3, $4)")
                .executeBatch(rows).replaceWithVoid();
    }

    private static Uni<Optional<UUID>> activeJob(SqlConnection connection, UUID tenant) {
        return connection.preparedQuery("select id from deletion_jobs where tenant_id = $1 and status = any($2)")
                .execute(Tuple.of(tenant, JobStatus.asText(JobStatus.nonFinal())))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    /**
     * Scheduled jobs whose execute_after has passed become pending (then any replica's claim starts them),
     * up to {@code limit}; the ids promoted. A job of a tenant under a legal hold stays scheduled. Rows are
     * taken with {@code SKIP LOCKED} and tenants with a non-blocking lock, so replicas sweeping at once never
     * wait for each other and never promote a job twice; the hold is read after both locks are held, by a
     * statement of its own (a fresh snapshot), so a hold placed a moment earlier is always seen.
     */
    public Uni<List<UUID>> promoteDue(int limit) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        select id, tenant_id from deletion_jobs j
                         where status = any($2) and execute_after <= now() and not """ + holdInForce("j.tenant_id") + """

                         order by execute_after
                         limit $1
                         for update skip locked""")
                .execute(Tuple.of((long) limit, Transition.PROMOTE_DUE.fromValues()))
                .chain(due -> {
                    if (due.rowCount() == 0) {
                        return Uni.createFrom().item(List.<UUID>of());
                    }
                    List<UUID> ids = new ArrayList<>();
                    List<UUID> tenants = new ArrayList<>();
                    due.forEach(row -> {
                        ids.add(row.getUUID("id"));
                        tenants.add(row.getUUID("tenant_id"));
                    });
                    return connection.preparedQuery("""
                                    select t from unnest($1::uuid[]) as t where pg_try_advisory_xact_lock(hashtextextended(t::text, 12))""")
                            .execute(Tuple.of(tenants.toArray(UUID[]::new)))
                            .chain(locked -> {
                                List<UUID> lockedTenants = new ArrayList<>();
                                locked.forEach(row -> lockedTenants.add(row.getUUID("t")));
                                return connection.preparedQuery("""
                                                update deletion_jobs j set status = $3
                                                 where j.id = any($1) and j.tenant_id = any($2) and j.status = any($4)
                                                   and not """ + holdInForce("j.tenant_id") + """

                                                returning j.id""")
                                        .execute(Tuple.of(ids.toArray(UUID[]::new), lockedTenants.toArray(UUID[]::new),
                                                Transition.PROMOTE_DUE.to().value(), Transition.PROMOTE_DUE.fromValues()));
                            })
                            .map(promoted -> {
                                List<UUID> result = new ArrayList<>();
                                promoted.forEach(row -> result.add(row.getUUID("id")));
                                return result;
                            });
                }));
    }

    /** What a cancel or execute-now request came to. */
    public enum ChangeOutcome {
        DONE, NOT_FOUND, NOT_SCHEDULED, LEGAL_HOLD
    }

    /** A scheduled job becomes cancelled (when, by whom); any other status is left alone. */
    public Uni<ChangeOutcome> cancel(UUID jobId, String by) {
        return pool.preparedQuery("""
                        update deletion_jobs set status = $3, cancelled_at = now(), cancelled_by = $2
                         where id = $1 and status = any($4)""")
                .execute(Tuple.of(jobId, by, Transition.CANCEL.to().value(), Transition.CANCEL.fromValues()))
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(ChangeOutcome.DONE) : exists(jobId)
                        .map(found -> found ? ChangeOutcome.NOT_SCHEDULED : ChangeOutcome.NOT_FOUND));
    }

    /**
     * A scheduled job becomes pending now (by whom, when, why). Refused under a legal hold: a hold outranks
     * a request to hurry, as it outranks a new job or a retry.
     */
    public Uni<ChangeOutcome> expedite(UUID jobId, String by, String reason) {
        return pool.withTransaction(connection -> lockJob(connection, jobId).chain(job -> {
            if (job.isEmpty()) {
                return Uni.createFrom().item(ChangeOutcome.NOT_FOUND);
            }
            if (!Transition.EXECUTE_NOW.allowedFrom(job.get().status())) {
                return Uni.createFrom().item(ChangeOutcome.NOT_SCHEDULED);
            }
            return held(connection, job.get().tenant()).chain(held -> held ? Uni.createFrom().item(ChangeOutcome.LEGAL_HOLD)
                    : connection.preparedQuery("""
                                    update deletion_jobs
                                       set status = $4, expedited_by = $2, expedited_at = now(), expedite_reason = $3
                                     where id = $1""")
                            .execute(Tuple.of(jobId, by, reason, Transition.EXECUTE_NOW.to().value()))
                            .replaceWith(ChangeOutcome.DONE));
        }));
    }

    /** A job's tenant and status, read under the tenant's lock and the job's row lock. */
    private record LockedJob(UUID tenant, JobStatus status) {
    }

    /**
     * Takes the tenant's lock (what a legal hold is decided under), then the job's row: its tenant and status,
     * empty when there is no such job.
     */
    private static Uni<Optional<LockedJob>> lockJob(SqlConnection connection, UUID jobId) {
        return connection.preparedQuery("select tenant_id from deletion_jobs where id = $1").execute(Tuple.of(jobId))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(Optional.<LockedJob>empty())
                        : lockTenantAndJob(connection, jobId, rows.iterator().next().getUUID("tenant_id")).map(Optional::of));
    }

    private static Uni<LockedJob> lockTenantAndJob(SqlConnection connection, UUID jobId, UUID tenant) {
        return connection.preparedQuery(LOCK_TENANT).execute(Tuple.of(tenant))
                .chain(() -> connection.preparedQuery("select status from deletion_jobs where id = $1 for update").execute(Tuple.of(jobId)))
                .map(rows -> new LockedJob(tenant, JobStatus.of(rows.iterator().next().getString("status"))));
    }

    private Uni<Boolean> exists(UUID jobId) {
        return pool.preparedQuery("select 1 from deletion_jobs where id = $1").execute(Tuple.of(jobId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Claims up to {@code limit} jobs that are pending, or running under an expired lease, oldest first. */
    public Uni<List<Claim>> claimDue(String owner, Duration lease, int limit) {
        return claim(owner, lease, limit, null);
    }

    /** Claims this job if it is pending, or running under an expired lease. */
    public Uni<Optional<Claim>> claim(UUID jobId, String owner, Duration lease) {
        return claim(owner, lease, 1, jobId).map(claims -> claims.stream().findFirst());
    }

    private Uni<List<Claim>> claim(String owner, Duration lease, int limit, UUID jobId) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.from(Arrays.asList(owner, seconds(lease), (long) limit, jobId, Transition.CLAIM.to().value(),
                        Transition.CLAIM.fromValues())))
                .map(rows -> {
                    List<Claim> claims = new ArrayList<>();
                    rows.forEach(row -> claims.add(new Claim(row.getUUID("id"), row.getUUID("tenant_id"), owner)));
                    return claims;
                });
    }

    /** Extends the lease; false when this owner no longer holds it. */
    public Uni<Boolean> renew(UUID jobId, String owner, Duration lease) {
        return pool.preparedQuery("""
                        update deletion_jobs set lease_expires_at = now() + make_interval(secs => $3)
                         where id = $1 and lease_owner = $2 and status = $4""")
                .execute(Tuple.of(jobId, owner, seconds(lease), JobStatus.RUNNING.value()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives up these leases (at shutdown, the runs that did not finish in time), so another replica resumes them at once. */
    public Uni<Integer> release(List<String> leaseOwners) {
        if (leaseOwners.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("""
                        update deletion_jobs set lease_owner = null, lease_expires_at = null
                         where lease_owner = any($1)""")
                .execute(Tuple.of(leaseOwners.toArray(String[]::new)))
                .map(RowSet::rowCount);
    }

    /** The job's service runs, as the next run of the job resumes them. */
    public Uni<List<ServiceRun.Progress>> services(UUID jobId) {
        return pool.preparedQuery("""
                        select service, status, deleted_counts, attempts, calls, items_expected
                          from deletion_job_services where job_id = $1 order by service""")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    List<ServiceRun.Progress> services = new ArrayList<>();
                    rows.forEach(row -> services.add(new ServiceRun.Progress(row.getString("service"), ServiceStatus.of(row.getString("status")),
                            counts(row), row.getInteger("attempts"), row.getInteger("calls"), row.getLong("items_expected"))));
                    return services;
                });
    }

    /**
     * Counts one more DELETE call, and one more attempt when it is the first call of a run or a retry
     * ({@code newAttempt}; a continuation after complete=false is not); false when the lease is lost.
     */
    public Uni<Boolean> callStarted(UUID jobId, String owner, String service, boolean newAttempt) {
        return pool.preparedQuery("""
                        update deletion_job_services s
                           set status = $5, calls = s.calls + 1,
                               attempts = s.attempts + case when $4 then 1 else 0 end,
                               started_at = coalesce(s.started_at, now())
                         where s.job_id = $1 and s.service = $3 and """ + HOLDS_LEASE)
                .execute(Tuple.of(jobId, owner, service, newAttempt, ServiceStatus.RUNNING.value()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Stores the preview taken before the first DELETE; a figure already stored is kept. False when the lease is lost. */
    public Uni<Boolean> recordExpected(UUID jobId, String owner, String service, long items) {
        return pool.preparedQuery("""
                        update deletion_job_services s set items_expected = coalesce(s.items_expected, $4)
                         where s.job_id = $1 and s.service = $3 and """ + HOLDS_LEASE)
                .execute(Tuple.of(jobId, owner, service, items))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Stores the service's deleted rows (the totals under the job's key, as merged by the run). Gives the rows
     * this write added to the stored total — so a repeated or re-sent answer adds nothing — or empty when the
     * lease is lost.
     */
    public Uni<OptionalLong> recordDeleted(UUID jobId, String owner, String service, Map<String, Long> totals) {
        long total = Counts.total(totals);
        // the FROM row is the stored total before this write, RETURNING sees the new one (only the lease holder
        // writes a service's progress, one answer after the other, so nothing changes the row in between)
        return pool.preparedQuery("""
                        update deletion_job_services s set deleted_counts = $4, total_deleted = $5
                          from (select id, total_deleted from deletion_job_services
                                 where job_id = $1 and service = $3) before
                         where s.id = before.id and""" + HOLDS_LEASE
                        + " returning greatest(s.total_deleted - before.total_deleted, 0) as added")
                .execute(Tuple.of(jobId, owner, service, new JsonObject(new LinkedHashMap<>(totals)), total))
                .map(rows -> rows.rowCount() == 1 ? OptionalLong.of(rows.iterator().next().getLong("added")) : OptionalLong.empty());
    }

    /** How many jobs are in each of these statuses, and how long the oldest running job has been running. */
    public record StatusCounts(Map<JobStatus, Long> jobs, double oldestRunningSeconds) {
    }

    /**
     * One aggregate over the status index: jobs per status (statuses without a job are absent) and the age
     * of the oldest running job, from its {@code started_at}, 0 when none runs.
     */
    public Uni<StatusCounts> statusCounts(Collection<JobStatus> statuses) {
        String[] values = JobStatus.asText(statuses);
        return pool.preparedQuery("""
                        select status, count(*) as jobs,
                               coalesce(extract(epoch from now() - min(started_at)), 0)::float8 as oldest_seconds
                          from deletion_jobs where status = any($1) group by status""")
                .execute(Tuple.of(values))
                .map(rows -> {
                    Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
                    double oldestRunning = 0;
                    for (Row row : rows) {
                        JobStatus status = JobStatus.of(row.getString("status"));
                        jobs.put(status, row.getLong("jobs"));
                        if (status == JobStatus.RUNNING) {
                            oldestRunning = Math.max(0, row.getDouble("oldest_seconds"));
                        }
                    }
                    return new StatusCounts(jobs, oldestRunning);
                });
    }

    /** Stores a service's result in this run; false when the lease is lost. */
    public Uni<Boolean> recordResult(UUID jobId, String owner, ServiceRun.Result result) {
        return pool.preparedQuery("""
                        update deletion_job_services s
                           set status = $4, verified = $5, remaining_items = $6, error = $7, duration_ms = $8,
                               completed_at = case when $10 then now() else null end,
                               retained = coalesce($9, s.retained)
                         where s.job_id = $1 and s.service = $3 and """ + HOLDS_LEASE)
                .execute(Tuple.from(Arrays.asList(jobId, owner, result.service(), result.status().value(), result.verified(),
                        result.remainingItems(), result.error(), result.durationMs(),
                        result.retained() == null ? null : new JsonObject(new LinkedHashMap<>(result.retained())),
                        result.status() == ServiceStatus.COMPLETED)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends the run: the job's status follows from its services' ({@code completed} when every service
     * completed and verified, {@code failed} when none did, {@code partially_failed} otherwise) and the
     * lease is released. A job without any service is {@code failed}: nothing was verified, so it must never
     * read as an erasure. Empty when the lease was lost.
     */
    public Uni<Optional<JobStatus>> finish(UUID jobId, String owner) {
        // one statement: the row lock of the UPDATE orders it after any write of the lease holder
        return pool.preparedQuery("""
                        with s as (select count(*) as total,
                                          count(*) filter (where status = $3 and verified) as done
                                     from deletion_job_services where job_id = $1)
                        update deletion_jobs j
                           set status = case when s.total = 0 or s.done = 0 then $4
                                             when s.done = s.total then $5 else $6 end,
                               verified = (s.total > 0 and s.done = s.total), completed_at = now(),
                               lease_owner = null, lease_expires_at = null
                          from s
                         where j.id = $1 and j.lease_owner = $2 and j.status = any($7)
                        returning j.status""")
                .execute(Tuple.from(Arrays.asList(jobId, owner, ServiceStatus.COMPLETED.value(), Transition.FINISH_FAILED.to().value(),
                        Transition.FINISH_COMPLETED.to().value(), Transition.FINISH_PARTIALLY_FAILED.to().value(),
                        Transition.FINISH_COMPLETED.fromValues())))
                .map(rows -> rows.rowCount() == 0 ? Optional.<JobStatus>empty()
                        : Optional.of(JobStatus.of(rows.iterator().next().getString("status"))));
    }

    /** What a retry request came to. */
    public enum RetryOutcome {
        RESET, NOT_FOUND, NOT_RETRYABLE, OTHER_JOB_ACTIVE, LEGAL_HOLD
    }

    /**
     * Puts a failed or partially failed job back to pending, its services that did not complete too; refused
     * while a legal hold of the tenant is in force (read under the tenant's lock).
     */
    public Uni<RetryOutcome> resetForRetry(UUID jobId) {
        return pool.withTransaction(connection -> lockJob(connection, jobId).chain(job -> {
                    if (job.isEmpty()) {
                        return Uni.createFrom().item(RetryOutcome.NOT_FOUND);
                    }
                    if (!Transition.RETRY.allowedFrom(job.get().status())) {
                        return Uni.createFrom().item(RetryOutcome.NOT_RETRYABLE);
                    }
                    return held(connection, job.get().tenant()).chain(held -> held ? Uni.createFrom().item(RetryOutcome.LEGAL_HOLD)
                            : reset(connection, jobId));
                }))
                .onFailure(JobStore::activeJobConflict).recoverWithItem(RetryOutcome.OTHER_JOB_ACTIVE);
    }

    /** The services that did not complete back to pending, then the job (the unique index may refuse that: another job is active). */
    private static Uni<RetryOutcome> reset(SqlConnection connection, UUID jobId) {
        return connection.preparedQuery("""
                        update deletion_job_services
                           set status = $2, error = null, verified = false, remaining_items = null, completed_at = null
                         where job_id = $1 and status <> $3""")
                .execute(Tuple.of(jobId, ServiceStatus.PENDING.value(), ServiceStatus.COMPLETED.value()))
                .chain(() -> connection.preparedQuery("""
                                update deletion_jobs
                                   set status = $2, verified = false, completed_at = null,
                                       lease_owner = null, lease_expires_at = null
                                 where id = $1""")
                        .execute(Tuple.of(jobId, Transition.RETRY.to().value())))
                .replaceWith(RetryOutcome.RESET);
    }

    private static boolean activeJobConflict(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getErrorMessage() != null && pg.getErrorMessage().contains(ACTIVE_UNIQUE_INDEX);
    }

    /** The stored deleted_counts (the json column arrives as a JsonObject or as its text). */
    private static Map<String, Long> counts(Row row) {
        Object value = row.getValue("deleted_counts");
        return Counts.of(value instanceof JsonObject json ? json : value == null ? null : new JsonObject(value.toString()));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
