-- A test schema of partitioned tables: accounts (a plain planned parent); invoices, HASH-partitioned by id, children of
-- accounts and parents of invoice_lines; invoice_lines, RANGE-partitioned, reached through invoices and carrying a
-- tenant_id of their own; events, LIST-partitioned by tenant_id, with a default partition and one partition per big
-- tenant (the seeder creates it): a tenant's own partition is erased whole (docs/plans.md, "Partitions and whales").
create table accounts (
    id uuid primary key,
    tenant_id uuid not null,
    name varchar(255) not null
);
create index accounts_tenant_idx on accounts (tenant_id);

create table invoices (
    id uuid primary key,
    tenant_id uuid not null,
    account_id uuid not null references accounts (id),
    number varchar(50) not null,
    total numeric(12, 2) not null default 0
) partition by hash (id);
create table invoices_p0 partition of invoices for values with (modulus 4, remainder 0);
create table invoices_p1 partition of invoices for values with (modulus 4, remainder 1);
create table invoices_p2 partition of invoices for values with (modulus 4, remainder 2);
create table invoices_p3 partition of invoices for values with (modulus 4, remainder 3);
create index invoices_tenant_idx on invoices (tenant_id);
create index invoices_account_idx on invoices (account_id);

create table invoice_lines (
    id uuid not null,
    tenant_id uuid not null,
    invoice_id uuid not null references invoices (id),
    line_no integer not null,
    amount numeric(12, 2) not null,
    primary key (id, line_no)
) partition by range (line_no);
create table invoice_lines_first partition of invoice_lines for values from (minvalue) to (10);
create table invoice_lines_more partition of invoice_lines for values from (10) to (100);
create table invoice_lines_rest partition of invoice_lines for values from (100) to (maxvalue);
create index invoice_lines_tenant_idx on invoice_lines (tenant_id);
create index invoice_lines_invoice_idx on invoice_lines (invoice_id);

create table events (
    id uuid not null,
    tenant_id uuid not null,
    account_id uuid references accounts (id),
    kind varchar(50) not null,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id)
) partition by list (tenant_id);
create table events_default partition of events default;
create index events_account_idx on events (account_id);
