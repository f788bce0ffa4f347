-- The orchestrator's job store: an audit record of every tenant deletion (who asked, when, why, and
-- what each service deleted) that also drives the work: replicas claim jobs through a lease.

create table deletion_jobs (
    id                uuid primary key,
    tenant_id         uuid not null,
    tenant_name       varchar(255),
    reason            text,
    -- "sub" of the token that asked for the deletion
    requested_by      varchar(255) not null,
    status            varchar(20) not null default 'pending'
                      check (status in ('pending', 'running', 'completed', 'partially_failed', 'failed')),
    verified          boolean not null default false,
    created_at        timestamptz not null default now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    -- the replica running the job and until when its claim holds (renewed while it runs)
    lease_owner       varchar(200),
    lease_expires_at  timestamptz
);
create index idx_deletion_jobs_tenant_id on deletion_jobs (tenant_id, created_at desc);
create index idx_deletion_jobs_created_at on deletion_jobs (created_at desc);
create index idx_deletion_jobs_status on deletion_jobs (status, created_at desc);
-- one active job per tenant, enforced by the database for every replica
create unique index uq_deletion_jobs_active_tenant on deletion_jobs (tenant_id) where status in ('pending', 'running');

create table deletion_job_services (
    id               uuid primary key,
    job_id           uuid not null references deletion_jobs (id),
    service          varchar(100) not null,
    status           varchar(20) not null default 'pending'
                     check (status in ('pending', 'running', 'completed', 'failed', 'timed_out')),
    -- HTTP DELETE attempts over every run of the job
    attempts         integer not null default 0,
    -- rows the service reported deleted, per table, summed over every run (json keeps the service's order)
    deleted_counts   json not null default '{}',
    total_deleted    bigint not null default 0,
    -- what the verification preview found after the delete (null: not read)
    remaining_items  bigint,
    verified         boolean not null default false,
    duration_ms      bigint,
    error            text,
    started_at       timestamptz,
    completed_at     timestamptz,
    constraint uq_deletion_job_services_job_service unique (job_id, service)
);
