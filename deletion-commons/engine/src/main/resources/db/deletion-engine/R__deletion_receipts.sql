-- The deletion engine's own bookkeeping, applied by every service built on deletion-commons (a
-- repeatable migration: it never collides with a service's version numbers and reapplies when it
-- changes, so every statement here must be idempotent).
--
-- A receipt per Idempotency-Key: the totals of every DELETE call made under the key, updated in the
-- same transaction as each delete or batch, so a count is never recorded without its rows being gone
-- nor the reverse. Not the tenant's data: the coverage check knows this table, previews do not list it,
-- and receipts are pruned after deletion.receipts.retention.
create table if not exists deletion_receipts (
    idempotency_key varchar(255) primary key,
    tenant_id       uuid not null,
    -- rows deleted under this key so far, per table
    deleted_counts  jsonb not null default '{}',
    -- whether the last call that finished left the tenant empty
    complete        boolean not null default false,
    -- calls made under this key; the latest call is the only one allowed to record more
    calls           integer not null default 0,
    first_call_at   timestamptz not null default now(),
    last_call_at    timestamptz not null default now()
);
create index if not exists idx_deletion_receipts_tenant_id on deletion_receipts (tenant_id);
create index if not exists idx_deletion_receipts_last_call_at on deletion_receipts (last_call_at);
