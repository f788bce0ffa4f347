package dev.tenantdeletion.external;

import static dev.tenantdeletion.testing.TestDb.update;

import dev.tenantdeletion.testing.TenantSeeder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** FK-consistent external-data rows, set-based; every other API log has no cache entry. */
public class ExternalSeeder implements TenantSeeder {

    @Override
    public void seed(Connection db, UUID tenant, int rows) throws SQLException {
        int cacheEntries = Math.max(2, rows / 4);
        int usages = Math.max(2, rows / 4);
        int logs = Math.max(4, rows - cacheEntries - usages);
        update(db, """
                insert into external_data_cache (id, tenant_id, source, cache_key, payload, expires_at)
                select gen_random_uuid(), ?, (array['weather','holidays','traffic'])[1 + g % 3], 'key-' || g,
                       jsonb_build_object('n', g), case when g % 2 = 0 then now() + interval '1 day' end
                from generate_series(1, ?) g""", tenant, cacheEntries);
        update(db, """
                insert into api_key_usages (id, tenant_id, api_name, usage_date, request_count)
                select gen_random_uuid(), ?, (array['weather','holidays'])[1 + g % 2], current_date - g, g % 500
                from generate_series(1, ?) g""", tenant, usages);
        update(db, """
                insert into external_api_logs (id, tenant_id, api_name, endpoint, status_code, duration_ms, cache_entry_id)
                select gen_random_uuid(), ?, 'weather', '/v1/forecast?day=' || g,
                       case when g % 9 = 0 then null else 200 end, g % 900,
                       case when g % 2 = 0 then null else c.ids[1 + g % cardinality(c.ids)] end
                from generate_series(1, ?) g,
                     (select array_agg(id) as ids from external_data_cache where tenant_id = ?) c""", tenant, logs, tenant);
    }

    @Override
    public String referenceAcrossTenants(Connection db, UUID tenant, UUID other) throws SQLException {
        update(db, """
                insert into external_api_logs (id, tenant_id, api_name, endpoint, cache_entry_id)
                select gen_random_uuid(), ?, 'weather', '/v1/shared', id from external_data_cache where tenant_id = ? limit 1""",
                other, tenant);
        return "external_api_logs";
    }

    @Override
    public LateChild lateChild(UUID tenant) {
        return new LateChild("external_data_cache", "external_api_logs", "insert into external_api_logs (id, tenant_id, api_name, endpoint, cache_entry_id) select gen_random_uuid(), tenant_id, 'late', '/late', id from external_data_cache where tenant_id = '%s' limit 1".formatted(tenant));
    }
}
