package dev.tenantdeletion.deletion.plan;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One table of a deletion plan, derived from its entity's mapping annotations. */
public record PlannedTable(String tableName, String entityName) {

    static PlannedTable of(Class<? extends TenantOwnedEntity> entity) {
        Table table = entity.getAnnotation(Table.class);
        if (table == null || table.name().isBlank()) {
            throw new IllegalArgumentException(entity.getName() + " needs @Table(name = ...) to be part of a deletion plan");
        }
        Entity mapped = entity.getAnnotation(Entity.class);
        if (mapped == null) {
            throw new IllegalArgumentException(entity.getName() + " is not an @Entity");
        }
        String entityName = mapped.name().isBlank() ? entity.getSimpleName() : mapped.name();
        return new PlannedTable(table.name(), entityName);
    }
}
