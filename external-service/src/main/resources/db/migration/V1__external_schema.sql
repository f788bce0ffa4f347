-- External-data schema of the contract. No ON DELETE CASCADE: the deletion plan deletes children first.
create table external_data_cache (
    id          uuid primary key,
    tenant_id   uuid not null,
    source      varchar(100) not null,
    cache_key   varchar(255) not null,
    payload     jsonb not null default '{}',
    fetched_at  timestamptz not null default now(),
    expires_at  timestamptz
);
create index idx_external_data_cache_tenant_id on external_data_cache (tenant_id);

create table api_key_usages (
    id             uuid primary key,
    tenant_id      uuid not null,
    api_name       varchar(100) not null,
    usage_date     date not null,
    request_count  integer not null default 0
);
create index idx_api_key_usages_tenant_id on api_key_usages (tenant_id);

create table external_api_logs (
    id              uuid primary key,
    tenant_id       uuid not null,
    api_name        varchar(100) not null,
    endpoint        varchar(500) not null,
    status_code     integer,
    duration_ms     integer,
    cache_entry_id  uuid references external_data_cache (id),
    created_at      timestamptz not null default now()
);
create index idx_external_api_logs_tenant_id on external_api_logs (tenant_id);
create index idx_external_api_logs_cache_entry_id on external_api_logs (cache_entry_id);
