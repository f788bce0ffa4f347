package dev.tenantdeletion.deletion.plan;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.util.UUID;

/**
 * A row without a tenant_id column: it belongs to a tenant through the row of another table it references
 * (an item of a purchase order). Planned with {@link PlannedTable#through}.
 */
@MappedSuperclass
public abstract class ParentOwnedEntity extends PanacheEntityBase {

    @Id
    public UUID id;
}
