package dev.tenantdeletion.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** What a service gives the shared contract suite: FK-consistent rows for its own tables. */
public interface TenantSeeder {

    /**
     * Inserts, set-based, rows for the tenant in every table of the service, about {@code rows} in all
     * and at least a few in each table, every optional shape included (nullable references left null).
     */
    void seed(Connection db, UUID tenant, int rows) throws SQLException;

    /**
     * Makes a row of {@code other} reference a row of {@code tenant} (a foreign key across tenants) and
     * returns the name of the referencing table.
     */
    String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException;

    /**
     * One more row of the tenant, referencing one of its rows in {@code parentTable} (a row its application
     * might write while the tenant is being deleted), as a literal INSERT usable inside a trigger.
     */
    record LateChild(String parentTable, String childTable, String insertSql) {
    }

    LateChild lateChild(UUID tenant);
}
