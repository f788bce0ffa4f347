package dev.tenantdeletion.testschemas;

import dev.tenantdeletion.testing.BatchedModeProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Boots deletion-commons itself as a service of one of the test schemas: its migrations (db/test-&lt;schema&gt;, then
 * the engine's), its plan (selected by the build property deletion-test.schema), a name and a base path. These
 * classes stay out of the test-jar the services use (see the pom).
 */
public abstract class SchemaProfile implements QuarkusTestProfile {

    private final String schema;
    private final int batchSize;
    private final String fkChecks;

    protected SchemaProfile(String schema, int batchSize) {
        this(schema, batchSize, "auto");
    }

    protected SchemaProfile(String schema, int batchSize, String fkChecks) {
        this.schema = schema;
        this.batchSize = batchSize;
        this.fkChecks = fkChecks;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("deletion-test.schema", schema);
        config.put("quarkus.flyway.locations", "db/test-" + schema + ",db/deletion-engine");
        config.put("quarkus.application.name", schema + "-service");
        config.put("quarkus.rest.path", "/api/v1/" + schema);
        config.put("deletion.lock-wait", "2s");
        config.put("deletion.batch-size", String.valueOf(batchSize));
        config.put("deletion.fk-checks", fkChecks);
        config.put("deletion.fk-checks-min-batch-rows", "1"); // the batched suites' batches of 7 take the fast path too
        return config;
    }

    public static class Orders extends SchemaProfile {
        public Orders() {
            super("orders", 0);
        }
    }

    public static class OrdersBatched extends SchemaProfile {
        public OrdersBatched() {
            super("orders", BatchedModeProfile.BATCH_SIZE);
        }
    }

    /** Suppliers with the production default of deletion.whole-tenant-rows (tests turn it off, see the engine's config). */
    public static class SuppliersWholeTenant extends SchemaProfile {
        public SuppliersWholeTenant() {
            super("suppliers", 0);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = super.getConfigOverrides();
            config.put("deletion.whole-tenant-rows", "50000");
            return config;
        }
    }

    public static class Suppliers extends SchemaProfile {
        public Suppliers() {
            super("suppliers", 0);
        }
    }

    public static class SuppliersBatched extends SchemaProfile {
        public SuppliersBatched() {
            super("suppliers", BatchedModeProfile.BATCH_SIZE);
        }
    }

    /** The same schemas with PostgreSQL's per-row RI triggers always (deletion.fk-checks=triggers). */
    public static class OrdersTriggers extends SchemaProfile {
        public OrdersTriggers() {
            super("orders", 0, "triggers");
        }
    }

    public static class SuppliersTriggers extends SchemaProfile {
        public SuppliersTriggers() {
            super("suppliers", 0, "triggers");
        }
    }

    public static class SuppliersBatchedTriggers extends SchemaProfile {
        public SuppliersBatchedTriggers() {
            super("suppliers", BatchedModeProfile.BATCH_SIZE, "triggers");
        }
    }

    /** The partitioned schema (testschemas/parts), in both foreign-key modes, one transaction and batches of 7. */
    public static class Parts extends SchemaProfile {
        public Parts() {
            super("parts", 0);
        }
    }

    /**
     * The partitioned schema in an application start, and so a database, of its own: for a test that alters the schema
     * (a profile of its own is what keeps Quarkus from sharing one start, and its database, with the other Parts tests).
     */
    public static class PartsAltered extends SchemaProfile {
        public PartsAltered() {
            super("parts", 0);
        }
    }

    public static class PartsBatched extends SchemaProfile {
        public PartsBatched() {
            super("parts", BatchedModeProfile.BATCH_SIZE);
        }
    }

    public static class PartsTriggers extends SchemaProfile {
        public PartsTriggers() {
            super("parts", 0, "triggers");
        }
    }

    public static class PartsBatchedTriggers extends SchemaProfile {
        public PartsBatchedTriggers() {
            super("parts", BatchedModeProfile.BATCH_SIZE, "triggers");
        }
    }
}
