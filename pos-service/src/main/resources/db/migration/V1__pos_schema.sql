-- POS schema of the contract. No ON DELETE CASCADE: the deletion plan deletes children first.
create table pos_configurations (
    id          uuid primary key,
    tenant_id   uuid not null,
    provider    varchar(50) not null,
    name        varchar(255) not null,
    is_active   boolean not null default true,
    created_at  timestamptz not null default now()
);
create index idx_pos_configurations_tenant_id on pos_configurations (tenant_id);

create table pos_devices (
    id                uuid primary key,
    tenant_id         uuid not null,
    configuration_id  uuid not null references pos_configurations (id),
    device_name       varchar(255) not null,
    serial_number     varchar(100),
    created_at        timestamptz not null default now()
);
create index idx_pos_devices_tenant_id on pos_devices (tenant_id);
create index idx_pos_devices_configuration_id on pos_devices (configuration_id);

create table pos_sessions (
    id                uuid primary key,
    tenant_id         uuid not null,
    configuration_id  uuid not null references pos_configurations (id),
    device_id         uuid references pos_devices (id),
    status            varchar(20) not null default 'open',
    opened_at         timestamptz not null default now(),
    closed_at         timestamptz
);
create index idx_pos_sessions_tenant_id on pos_sessions (tenant_id);
create index idx_pos_sessions_configuration_id on pos_sessions (configuration_id);
create index idx_pos_sessions_device_id on pos_sessions (device_id);

create table pos_transactions (
    id                uuid primary key,
    tenant_id         uuid not null,
    session_id        uuid not null references pos_sessions (id),
    configuration_id  uuid not null references pos_configurations (id),
    external_id       varchar(255),
    amount            numeric(12, 2) not null,
    currency          char(3) not null default 'EUR',
    created_at        timestamptz not null default now()
);
create index idx_pos_transactions_tenant_id on pos_transactions (tenant_id);
create index idx_pos_transactions_session_id on pos_transactions (session_id);
create index idx_pos_transactions_configuration_id on pos_transactions (configuration_id);
