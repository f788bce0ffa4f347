-- A test schema modelled on the seed's suppliers service (Pattern 4): purchase order items carry no tenant_id
-- and belong to the tenant only through their purchase order, their deliveries only through the item (two levels);
-- supplier categories form a tree (parent_id references the same table).
create table supplier_categories (
    id uuid primary key,
    tenant_id uuid not null,
    parent_id uuid references supplier_categories (id),
    name varchar(255) not null
);
create index supplier_categories_tenant_idx on supplier_categories (tenant_id);
create index supplier_categories_parent_idx on supplier_categories (parent_id);

create table suppliers (
    id uuid primary key,
    tenant_id uuid not null,
    category_id uuid references supplier_categories (id),
    name varchar(255) not null,
    created_at timestamptz not null default now()
);
create index suppliers_tenant_idx on suppliers (tenant_id);
create index suppliers_category_idx on suppliers (category_id);

create table purchase_orders (
    id uuid primary key,
    tenant_id uuid not null,
    supplier_id uuid not null references suppliers (id),
    po_number varchar(50) not null,
    status varchar(20) not null default 'draft',
    created_at timestamptz not null default now()
);
create index purchase_orders_tenant_idx on purchase_orders (tenant_id);
create index purchase_orders_supplier_idx on purchase_orders (supplier_id);

create table purchase_order_items (
    id uuid primary key,
    purchase_order_id uuid not null references purchase_orders (id),
    product_name varchar(255) not null,
    quantity integer not null,
    unit_price numeric(12, 2) not null
);
create index purchase_order_items_po_idx on purchase_order_items (purchase_order_id);

create table purchase_order_deliveries (
    id uuid primary key,
    purchase_order_item_id uuid not null references purchase_order_items (id),
    quantity integer not null,
    delivered_at timestamptz not null default now()
);
create index purchase_order_deliveries_item_idx on purchase_order_deliveries (purchase_order_item_id);
