package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenantdeletion.testing.RepositoryRoot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every manifest of deploy/kubernetes against the Kubernetes API model (fabric8's, generated from the
 * Kubernetes OpenAPI schemas): each document must be a known apiVersion/kind, deserialise with the schema's
 * types, carry no field the schema does not know (fabric8 keeps those aside instead of failing, so the test
 * walks every object for them) and have the fields the API server requires. Then the hardening and the wiring
 * between them: security contexts, selectors that select, NetworkPolicies, the PodDisruptionBudget, the
 * kustomization.
 */
class KubernetesSchemaTest {

    private static final Path DIR = RepositoryRoot.path().resolve("deploy/kubernetes");
    private static final Set<String> APPS = Set.of("orchestrator", "pos-service", "external-service", "alert-processor");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Every resource, by file. */
    private static final Map<String, List<HasMetadata>> RESOURCES = new LinkedHashMap<>();

    @BeforeAll
    static void readAndValidateEveryManifest() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue; // not an API object: checked below
                }
                List<HasMetadata> resources = new ArrayList<>();
                int index = 0;
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    String where = file.getFileName() + " document " + index++;
                    resources.add(validate(where, doc));
                }
                RESOURCES.put(file.getFileName().toString(), resources);
            }
        }
    }

    private static HasMetadata validate(String where, Object doc) {
        assertTrue(doc instanceof Map<?, ?>, where + ": not a mapping");
        Map<?, ?> map = (Map<?, ?>) doc;
        String apiVersion = (String) map.get("apiVersion");
        String kind = (String) map.get("kind");
        assertNotNull(apiVersion, where + ": apiVersion");
        assertNotNull(kind, where + ": kind");
        var type = SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
        assertTrue(type != null && HasMetadata.class.isAssignableFrom(type), where + ": " + apiVersion + " " + kind
                + " is not a kind of the Kubernetes API");
        HasMetadata resource;
        try {
            resource = (HasMetadata) SERIALIZATION.unmarshal(SERIALIZATION.asJson(doc), type);
        } catch (RuntimeException e) {
            return fail(where + ": does not match the schema of " + kind + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(resource, kind, unknown, new IdentityHashMap<>());
        assertEquals(List.of(), unknown, where + ": fields the schema of " + kind + " does not have");
        assertNotNull(resource.getMetadata(), where + ": metadata");
        String name = resource.getMetadata().getName();
        assertTrue(name != null && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, where + ": metadata.name " + name);
        requiredFields(where, resource);
        return resource;
    }

    /** fabric8 puts a field its model lacks into additionalProperties: a typo or a field of another version. */
    private static void unknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return; // strings, numbers, Quantity/IntOrString values
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
                continue;
            }
            String field = getter.getName().replaceFirst("^(get|is)", "");
            unknownFields(value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), unknown, seen);
        }
    }

    /** The fields the API server refuses a resource without (required in the OpenAPI schemas). */
    private static void requiredFields(String where, HasMetadata resource) {
        if (resource instanceof Deployment d) {
            assertNotNull(d.getSpec(), where + ": spec");
            assertNotNull(d.getSpec().getSelector(), where + ": spec.selector");
            assertNotNull(d.getSpec().getTemplate(), where + ": spec.template");
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertFalse(pod.getContainers().isEmpty(), where + ": spec.template.spec.containers");
            for (Container c : pod.getContainers()) {
                assertNotNull(c.getName(), where + ": container name");
                assertNotNull(c.getImage(), where + ": container image");
                c.getPorts().forEach(p -> assertNotNull(p.getContainerPort(), where + ": containerPort"));
                c.getEnv().forEach(e -> assertNotNull(e.getName(), where + ": env name"));
                c.getVolumeMounts().forEach(m -> assertTrue(m.getName() != null && m.getMountPath() != null, where + ": volumeMount"));
            }
            pod.getVolumes().forEach(v -> assertNotNull(v.getName(), where + ": volume name"));
        } else if (resource instanceof Service s) {
            assertFalse(s.getSpec().getPorts().isEmpty(), where + ": spec.ports");
            s.getSpec().getPorts().forEach(p -> assertNotNull(p.getPort(), where + ": port"));
        } else if (resource instanceof NetworkPolicy n) {
            assertNotNull(n.getSpec(), where + ": spec");
            assertNotNull(n.getSpec().getPodSelector(), where + ": spec.podSelector");
        } else if (resource instanceof PodDisruptionBudget b) {
            assertNotNull(b.getSpec().getSelector(), where + ": spec.selector");
            assertTrue(b.getSpec().getMinAvailable() != null ^ b.getSpec().getMaxUnavailable() != null,
                    where + ": exactly one of minAvailable and maxUnavailable");
        } else if (resource instanceof Secret s) {
            assertTrue(s.getData() != null || s.getStringData() != null, where + ": data or stringData");
        } else {
            fail(where + ": a kind this test does not know the required fields of: " + resource.getKind());
        }
    }

    private static <T extends HasMetadata> Map<String, T> all(Class<T> type) {
        Map<String, T> byName = new LinkedHashMap<>();
        RESOURCES.values().forEach(list -> list.stream().filter(type::isInstance).map(type::cast)
                .forEach(r -> assertEquals(null, byName.put(r.getMetadata().getName(), r), "two " + type.getSimpleName() + "s named "
                        + r.getMetadata().getName())));
        return byName;
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), "matchLabels only");
        return selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    @Test
    void everyDeploymentRunsHardened() {
        Map<String, Deployment> deployments = all(Deployment.class);
        assertEquals(APPS, deployments.keySet());
        deployments.forEach((name, d) -> {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertTrue(selects(d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()), name + ": selector");
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name + ": runAsNonRoot");
            assertTrue(pod.getSecurityContext().getRunAsUser() != null && pod.getSecurityContext().getRunAsUser() > 0, name + ": runAsUser");
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name + ": seccomp");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name + ": no service account token");
            Map<String, Volume> volumes = new LinkedHashMap<>();
            pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
            for (Container c : pod.getContainers()) {
                var sc = c.getSecurityContext();
                assertNotNull(sc, name + ": container securityContext");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), name + ": allowPrivilegeEscalation");
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), name + ": readOnlyRootFilesystem");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), name + ": capabilities.drop");
                assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), name + ": no capability added");
                assertTrue(sc.getPrivileged() == null || !sc.getPrivileged(), name + ": privileged");
                for (VolumeMount m : c.getVolumeMounts()) {
                    assertTrue(volumes.containsKey(m.getName()), name + ": mount of an undefined volume " + m.getName());
                }
                VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                        .orElseThrow(() -> new AssertionError(name + ": no writable /tmp"));
                assertNotNull(volumes.get(tmp.getName()).getEmptyDir(), name + ": /tmp is an emptyDir");
                Set<String> portNames = new TreeSet<>();
                c.getPorts().forEach(p -> portNames.add(p.getName()));
                for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
                    var port = probe.getHttpGet().getPort();
                    assertTrue(port.getIntVal() != null || portNames.contains(port.getStrVal()), name + ": probe port " + port);
                }
            }
        });
    }

    @Test
    void everyServiceSelectsItsPodsAndHasANetworkPolicyAdmittingOnlyItsCallers() {
        Map<String, Deployment> deployments = all(Deployment.class);
        Map<String, Service> services = all(Service.class);
        Map<String, NetworkPolicy> policies = all(NetworkPolicy.class);
        assertEquals(APPS, services.keySet());
        assertEquals(APPS, policies.keySet(), "one NetworkPolicy per service");
        Map<String, String> orchestratorPods = deployments.get("orchestrator").getSpec().getTemplate().getMetadata().getLabels();
        for (String app : APPS) {
            Map<String, String> pods = deployments.get(app).getSpec().getTemplate().getMetadata().getLabels();
            Service service = services.get(app);
            assertTrue(pods.entrySet().containsAll(service.getSpec().getSelector().entrySet()), app + ": Service selector");
            int port = deployments.get(app).getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();

            NetworkPolicy policy = policies.get(app);
            assertTrue(selects(policy.getSpec().getPodSelector(), pods), app + ": the policy selects the app's pods");
            assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), app);
            assertEquals(1, policy.getSpec().getIngress().size(), app);
            var rule = policy.getSpec().getIngress().get(0);
            assertEquals(1, rule.getPorts().size(), app);
            assertEquals(port, rule.getPorts().get(0).getPort().getIntVal(), app + ": only the HTTP port");
            assertFalse(rule.getFrom().isEmpty(), app + ": an empty from admits everyone");
            boolean orchestratorAdmitted = false;
            for (var peer : rule.getFrom()) {
                assertTrue(peer.getIpBlock() == null, app + ": no ipBlock");
                if (peer.getPodSelector() != null) {
                    assertTrue(peer.getNamespaceSelector() == null, app + ": pods of this namespace only");
                    assertFalse(peer.getPodSelector().getMatchLabels().isEmpty(), app + ": an empty podSelector admits the whole namespace");
                    orchestratorAdmitted |= selects(peer.getPodSelector(), orchestratorPods);
                } else {
                    assertEquals(Map.of("kubernetes.io/metadata.name", "monitoring"), peer.getNamespaceSelector().getMatchLabels(),
                            app + ": the only other namespace is Prometheus'");
                }
            }
            assertTrue(app.equals("orchestrator") || orchestratorAdmitted, app + " admits the orchestrator");
        }
    }

    @Test
    void theOrchestratorHasAPodDisruptionBudgetKeepingOneReplica() {
        Map<String, PodDisruptionBudget> budgets = all(PodDisruptionBudget.class);
        assertEquals(Set.of("orchestrator"), budgets.keySet());
        PodDisruptionBudget budget = budgets.get("orchestrator");
        Deployment orchestrator = all(Deployment.class).get("orchestrator");
        assertTrue(selects(budget.getSpec().getSelector(), orchestrator.getSpec().getTemplate().getMetadata().getLabels()));
        int min = budget.getSpec().getMinAvailable().getIntVal();
        assertTrue(min >= 1 && min < orchestrator.getSpec().getReplicas(), "minAvailable " + min + " leaves a replica to drain");
    }

    @Test
    void theSecretsExampleHoldsEverySecretTheManifestsRead() {
        Set<String> referenced = new TreeSet<>();
        for (Deployment d : all(Deployment.class).values()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> referenced.add(v.getSecret().getSecretName()));
            pod.getContainers().forEach(c -> c.getEnv().stream()
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> referenced.add(e.getValueFrom().getSecretKeyRef().getName())));
        }
        Set<String> examples = new TreeSet<>();
        RESOURCES.get("secrets.example.yaml").forEach(r -> examples.add(r.getMetadata().getName()));
        assertEquals(referenced, examples);
        assertTrue(examples.contains("tenant-deletion-jwt-signing"), "the orchestrator's signing key");
        Secret signing = (Secret) RESOURCES.get("secrets.example.yaml").stream()
                .filter(r -> r.getMetadata().getName().equals("tenant-deletion-jwt-signing")).findFirst().orElseThrow();
        assertTrue(signing.getStringData().containsKey("private.pem"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKustomizationListsEveryManifestButTheSecrets() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml")));
        assertEquals("kustomize.config.k8s.io/v1beta1", kustomization.get("apiVersion"));
        assertEquals("Kustomization", kustomization.get("kind"));
        // the fields of a Kustomization this one may use (kustomize's own schema has many more)
        assertTrue(Set.of("apiVersion", "kind", "resources", "labels", "namespace", "images", "commonAnnotations")
                .containsAll(kustomization.keySet()), kustomization.keySet().toString());
        List<String> resources = (List<String>) kustomization.get("resources");
        Set<String> expected = new TreeSet<>(RESOURCES.keySet());
        expected.remove("secrets.example.yaml");
        assertEquals(expected, new TreeSet<>(resources));
        resources.forEach(r -> assertTrue(Files.isRegularFile(DIR.resolve(r)), r));
        for (Object label : (List<Object>) kustomization.getOrDefault("labels", List.of())) {
            assertTrue(((Map<String, Object>) label).get("pairs") instanceof Map, "labels[].pairs");
        }
    }

    @Test
    void theValidatorRefusesAnUnknownFieldAWrongTypeAndAnUnknownKind() {
        String deployment = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                 "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                   "spec": {"containers": [{"name": "x", "image": "x", "securityContext": {"readOnlyRootFileSystem": true}}]}}}}""";
        AssertionError unknown = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> validate("typo", new Yaml().load(deployment)));
        assertTrue(unknown.getMessage().contains("readOnlyRootFileSystem"), unknown.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> validate("type", new Yaml().load(deployment.replace("\"selector\"", "\"replicas\": \"two\", \"selector\""))));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> validate("kind", new Yaml().load(deployment.replace("apps/v1", "apps/v1beta7"))));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> validate("required", new Yaml().load(deployment.replace("\"image\": \"x\", ", ""))));
    }
}
