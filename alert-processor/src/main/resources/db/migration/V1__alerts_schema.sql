-- Alerting schema of the contract. No ON DELETE CASCADE: the deletion plan deletes children first.
create table alert_rules (
    id          uuid primary key,
    tenant_id   uuid not null,
    name        varchar(255) not null,
    condition   jsonb not null default '{}',
    severity    varchar(20) not null default 'medium',
    enabled     boolean not null default true,
    created_at  timestamptz not null default now()
);
create index idx_alert_rules_tenant_id on alert_rules (tenant_id);

create table alerts (
    id          uuid primary key,
    tenant_id   uuid not null,
    rule_id     uuid references alert_rules (id),
    title       varchar(255) not null,
    message     text,
    severity    varchar(20) not null default 'medium',
    status      varchar(20) not null default 'active',
    created_at  timestamptz not null default now()
);
create index idx_alerts_tenant_id on alerts (tenant_id);
create index idx_alerts_rule_id on alerts (rule_id);

create table alert_history (
    id          uuid primary key,
    tenant_id   uuid not null,
    alert_id    uuid not null references alerts (id),
    old_status  varchar(20),
    new_status  varchar(20) not null,
    changed_at  timestamptz not null default now()
);
create index idx_alert_history_tenant_id on alert_history (tenant_id);
create index idx_alert_history_alert_id on alert_history (alert_id);

create table alert_notifications (
    id          uuid primary key,
    tenant_id   uuid not null,
    alert_id    uuid not null references alerts (id),
    channel     varchar(50) not null,
    recipient   varchar(255),
    status      varchar(20) not null default 'pending',
    sent_at     timestamptz
);
create index idx_alert_notifications_tenant_id on alert_notifications (tenant_id);
create index idx_alert_notifications_alert_id on alert_notifications (alert_id);
