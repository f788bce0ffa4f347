package dev.tenantdeletion.deletion.plan;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * One table of a deletion plan, derived from its entity's mapping annotations. A table either holds the
 * tenant in its own {@code tenant_id} column or is reached through a foreign key to a planned parent
 * ({@link #parent}: its rows belong to the tenant because the row they reference does, at any depth). A table
 * whose rows reference other rows of the same table declares that column ({@link #selfReference}), so batched
 * deletion can remove the leaves of the tree first. {@code hasTenantId}: the table has its own tenant_id column (always
 * for {@link #of}; for {@link #through}, when its entity extends {@link TenantOwnedEntity}).
 */
public record PlannedTable(String tableName, String entityName, Parent parent, String selfReference, boolean hasTenantId) {

    /** The foreign key {@code tableName.foreignKeyColumn → table(id)} through which the rows belong to the tenant. */
    public record Parent(String foreignKeyColumn, String table) {
    }

    /** A table with its own tenant_id column. */
    public static PlannedTable of(Class<? extends TenantOwnedEntity> entity) {
        return new PlannedTable(tableName(entity), entityName(entity), null, null, true);
    }

    /**
     * A table reached through {@code foreignKeyColumn}, a foreign key to the planned table of {@code parent}
     * (its {@code id}); with or without a tenant_id column of its own. Required for every
     * {@code ON DELETE CASCADE} child, so its rows are deleted and counted before their parent goes. An entity
     * extending {@link TenantOwnedEntity} has a tenant_id of its own, and that column says whose a row is: a row of
     * another tenant under this tenant's parent is never deleted with this tenant (the parent's DELETE meets it: a
     * conflict, 409) but with its own; the path still orders the deletion and finds what hangs under a parent's batch.
     * The coverage check holds the schema to what the entity says.
     */
    public static PlannedTable through(Class<?> entity, String foreignKeyColumn, Class<?> parent) {
        return new PlannedTable(tableName(entity), entityName(entity), new Parent(foreignKeyColumn, tableName(parent)), null,
                TenantOwnedEntity.class.isAssignableFrom(entity));
    }

    /** The same table, whose {@code column} references another row of this table (a tree of categories, say). */
    public PlannedTable selfReferencing(String column) {
        return new PlannedTable(tableName, entityName, parent, column, hasTenantId);
    }

    public boolean reachedThroughParent() {
        return parent != null;
    }

    static String tableName(Class<?> entity) {
        Table table = entity.getAnnotation(Table.class);
        if (table == null || table.name().isBlank()) {
            throw new IllegalArgumentException(entity.getName() + " needs @Table(name = ...) to be part of a deletion plan");
        }
        return table.name();
    }

    private static String entityName(Class<?> entity) {
        Entity mapped = entity.getAnnotation(Entity.class);
        if (mapped == null) {
            throw new IllegalArgumentException(entity.getName() + " is not an @Entity");
        }
        return mapped.name().isBlank() ? entity.getSimpleName() : mapped.name();
    }
}
