package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tenantdeletion.testing.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The manifests in deploy/kubernetes against the contract: ports, probes, settings, registry, scraping. */
class KubernetesManifestsTest {

    private static final Path DIR = RepositoryRoot.path().resolve("deploy/kubernetes");

    /** name → port, base path (the contract's "Processes and ports"). */
    private static final Map<String, Object[]> PROCESSES = Map.of(
            "orchestrator", new Object[] {8080, "/api/v1"},
            "pos-service", new Object[] {8081, "/api/v1/pos"},
            "external-service", new Object[] {8082, "/api/v1/external"},
            "alert-processor", new Object[] {8083, "/api/v1/alerts"});

    private static final List<String> EVERY_PROCESS_ENV = List.of("QUARKUS_HTTP_PORT", "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "MP_JWT_VERIFY_ISSUER", "DELETION_ENABLED");

    @Test
    void everyProcessIsDeployedAsTheContractSays() throws IOException {
        Map<String, Map<String, Object>> deployments = new HashMap<>();
        Map<String, Map<String, Object>> services = new HashMap<>();
        for (Map<String, Object> doc : documents()) {
            String name = (String) get(doc, "metadata", "name");
            if ("Deployment".equals(doc.get("kind"))) {
                deployments.put(name, doc);
            } else if ("Service".equals(doc.get("kind"))) {
                services.put(name, doc);
            }
        }
        assertEquals(PROCESSES.keySet(), deployments.keySet());
        assertEquals(PROCESSES.keySet(), services.keySet());

        PROCESSES.forEach((name, expected) -> {
            int port = (Integer) expected[0];
            Map<String, Object> pod = map(get(deployments.get(name), "spec", "template"));
            Map<String, Object> annotations = map(get(pod, "metadata", "annotations"));
            assertEquals("true", annotations.get("prometheus.io/scrape"), name);
            assertEquals("/q/metrics", annotations.get("prometheus.io/path"), name);
            assertEquals(String.valueOf(port), annotations.get("prometheus.io/port"), name);

            Map<String, Object> container = list(get(pod, "spec", "containers")).get(0);
            assertEquals(port, get(list(container.get("ports")).get(0), "containerPort"), name);
            assertEquals("/q/health/live", get(container, "livenessProbe", "httpGet", "path"), name);
            assertEquals("/q/health/ready", get(container, "readinessProbe", "httpGet", "path"), name);
            assertNotNull(get(container, "resources", "requests", "memory"), name);
            assertNotNull(get(container, "resources", "limits", "memory"), name);

            Map<String, Map<String, Object>> env = new HashMap<>();
            list(container.get("env")).forEach(e -> env.put((String) e.get("name"), e));
            EVERY_PROCESS_ENV.forEach(variable -> assertTrue(env.containsKey(variable), name + " lacks " + variable));
            assertEquals(String.valueOf(port), env.get("QUARKUS_HTTP_PORT").get("value"), name);
            for (String secret : List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                assertNotNull(get(env.get(secret), "valueFrom", "secretKeyRef", "name"), name + ": " + secret + " must come from a Secret");
            }
            assertMounted(pod, container, (String) env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").get("value"), name);

            Map<String, Object> servicePort = list(get(services.get(name), "spec", "ports")).get(0);
            assertEquals(port, servicePort.get("port"), name);
        });

        Map<String, Object> orchestrator = deployments.get("orchestrator");
        assertEquals(2, get(orchestrator, "spec", "replicas"), "two orchestrator replicas");
        Map<String, Object> pod = map(get(orchestrator, "spec", "template"));
        Map<String, Object> container = list(get(pod, "spec", "containers")).get(0);
        Map<String, String> env = new HashMap<>();
        list(container.get("env")).forEach(e -> env.put((String) e.get("name"), String.valueOf(e.get("value"))));
        assertMounted(pod, container, env.get("SMALLRYE_JWT_SIGN_KEY_LOCATION"), "orchestrator signing key");
        PROCESSES.forEach((name, expected) -> {
            if (name.equals("orchestrator")) {
                return;
            }
            String prefix = "DELETION_SERVICES_" + name.toUpperCase().replace('-', '_');
            assertEquals("http://" + name + ":" + expected[0] + expected[1], env.get(prefix + "_URL"), "registry entry of " + name);
            assertNotNull(env.get(prefix + "_TIMEOUT"), "timeout of " + name);
        });
    }

    private static void assertMounted(Map<String, Object> pod, Map<String, Object> container, String file, String label) {
        assertNotNull(file, label);
        boolean mounted = list(container.get("volumeMounts")).stream().anyMatch(m -> {
            String path = (String) m.get("mountPath");
            if (!file.startsWith(path + "/")) {
                return false;
            }
            Map<String, Object> volume = list(get(pod, "spec", "volumes")).stream()
                    .filter(v -> v.get("name").equals(m.get("name"))).findFirst().orElseThrow();
            return get(volume, "secret", "secretName") != null;
        });
        assertTrue(mounted, label + ": " + file + " is not mounted from a Secret");
    }

    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().startsWith("secrets")).toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    docs.add(map(doc));
                }
            }
        }
        return docs;
    }

    private static Object get(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        return (List<Map<String, Object>>) node;
    }
}
