package dev.tenantdeletion.deletion.engine;

/**
 * How a deletion transaction enforces the foreign keys into the rows it deletes (see {@link ForeignKeyChecks}).
 * Not the setting: {@link DeletionSettings.FkChecks} is what the operator allows (auto or triggers); this is what a
 * call uses, decided from the setting and the catalog (auto becomes fast where that is exactly as safe).
 */
public enum ForeignKeyMode {
    /** The triggers off for the transaction, one set-based check statement before commit. */
    FAST,
    /** PostgreSQL's own RI triggers. */
    TRIGGERS;

    public String label() {
        return name().toLowerCase();
    }
}
