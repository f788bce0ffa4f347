package dev.tenantdeletion.orchestrator.hold.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A legal hold as placed, and (once lifted or replaced) as lifted: the audit record keeps every one. */
@Entity
@Table(name = "legal_holds")
public class LegalHold extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(name = "reason", nullable = false)
    public String reason;

    /** The hold ends by itself then; null: until lifted. */
    @Column(name = "until")
    public Instant until;

    @Column(name = "placed_by", nullable = false)
    public String placedBy;

    @Column(name = "placed_at", nullable = false)
    public Instant placedAt;

    @Column(name = "lifted_by")
    public String liftedBy;

    @Column(name = "lifted_at")
    public Instant liftedAt;

    /** {@code lifted} (DELETE) or {@code replaced} (a later PUT). */
    @Column(name = "lifted_how")
    public String liftedHow;
}
