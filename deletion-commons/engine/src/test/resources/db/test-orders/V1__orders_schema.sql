-- A test schema modelled on the seed's orders service (Pattern 2): order items and status history carry no
-- tenant_id and hang under their order with ON DELETE CASCADE; customers and orders carry tenant_id.
create table customers (
    id uuid primary key,
    tenant_id uuid not null,
    name varchar(255) not null,
    created_at timestamptz not null default now()
);
create index customers_tenant_idx on customers (tenant_id);

create table orders (
    id uuid primary key,
    tenant_id uuid not null,
    customer_id uuid references customers (id),
    order_number varchar(50) not null,
    status varchar(20) not null default 'pending',
    total numeric(12, 2) not null default 0,
    created_at timestamptz not null default now()
);
create index orders_tenant_idx on orders (tenant_id);
create index orders_customer_idx on orders (customer_id);

create table order_items (
    id uuid primary key,
    order_id uuid not null references orders (id) on delete cascade,
    product_name varchar(255) not null,
    quantity integer not null,
    unit_price numeric(12, 2) not null
);
create index order_items_order_idx on order_items (order_id);

create table order_status_history (
    id uuid primary key,
    order_id uuid not null references orders (id) on delete cascade,
    old_status varchar(20),
    new_status varchar(20) not null,
    changed_at timestamptz not null default now()
);
create index order_status_history_order_idx on order_status_history (order_id);
