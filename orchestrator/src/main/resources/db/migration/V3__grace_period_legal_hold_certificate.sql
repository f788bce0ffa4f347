-- Second edition of the contract: grace periods (status scheduled, execute_after), cancel and
-- execute-now with their audit fields, legal holds, and what a deletion certificate needs per service.

alter table deletion_jobs drop constraint deletion_jobs_status_check;
alter table deletion_jobs add constraint deletion_jobs_status_check
    check (status in ('scheduled', 'pending', 'running', 'completed', 'partially_failed', 'failed', 'cancelled'));

-- when a scheduled job becomes due (null: none was asked for)
alter table deletion_jobs add column execute_after timestamptz;
-- a scheduled job cancelled: when and by whom ("sub" of the token)
alter table deletion_jobs add column cancelled_at timestamptz;
alter table deletion_jobs add column cancelled_by varchar(255);
-- a scheduled job started before its time: by whom, when and why
alter table deletion_jobs add column expedited_by varchar(255);
alter table deletion_jobs add column expedited_at timestamptz;
alter table deletion_jobs add column expedite_reason text;

-- one active job per tenant, a scheduled one included
drop index uq_deletion_jobs_active_tenant;
create unique index uq_deletion_jobs_active_tenant on deletion_jobs (tenant_id)
    where status in ('scheduled', 'pending', 'running');
-- what a sweep looks for: scheduled jobs that have come due
create index idx_deletion_jobs_due on deletion_jobs (execute_after) where status = 'scheduled';

-- what the service keeps on purpose ({"<table>": "<rule>"}), from its verification preview; null: not read
alter table deletion_job_services add column retained json;

-- Legal holds, and the audit record of every hold ever placed or lifted: rows are never deleted. A hold
-- is in force while lifted_at is null and until is null or in the future; at most one per tenant.
create table legal_holds (
    id         uuid primary key,
    tenant_id  uuid not null,
    reason     text not null,
    until      timestamptz,
    placed_by  varchar(255) not null,
    placed_at  timestamptz not null default now(),
    -- lifted by DELETE, or replaced by a later PUT
    lifted_by  varchar(255),
    lifted_at  timestamptz,
    lifted_how varchar(20) check (lifted_how in ('lifted', 'replaced'))
);
create index idx_legal_holds_tenant_id on legal_holds (tenant_id, placed_at desc);
create unique index uq_legal_holds_current_tenant on legal_holds (tenant_id) where lifted_at is null;
