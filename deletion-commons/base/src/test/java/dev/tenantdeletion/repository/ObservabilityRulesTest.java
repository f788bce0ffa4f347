package dev.tenantdeletion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantdeletion.testing.ObservabilityFiles;
import dev.tenantdeletion.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/observability checked by the real tools: {@code promtool check rules} on both rule files,
 * {@code promtool test rules} (series that fire and do not fire every alert), the PrometheusRule's shape,
 * and the dashboard's JSON. That every metric name is really exported is PlatformIT's part (it runs the apps).
 */
class ObservabilityRulesTest {

    private static String run(Path workdir, String... args) {
        return Promtool.succeed(workdir, args);
    }

    @Test
    void promtoolChecksThePlainRulesFile() throws Exception {
        String output = run(ObservabilityFiles.dir(), "check", "rules", ObservabilityFiles.RULES);
        assertTrue(output.contains("SUCCESS: 7 rules found"), output);
    }

    @Test
    void promtoolUnitTestsFireAndDoNotFireEveryAlert() throws Exception {
        String output = run(ObservabilityFiles.dir(), "test", "rules", ObservabilityFiles.RULES_TEST);
        assertTrue(output.contains("SUCCESS"), output);

        // every alert has a test case where it is expected to fire and one where it is expected not to
        Map<String, Object> tests = ObservabilityFiles.yaml(ObservabilityFiles.dir().resolve(ObservabilityFiles.RULES_TEST));
        Set<String> fires = new java.util.TreeSet<>();
        Set<String> silent = new java.util.TreeSet<>();
        for (Object test : (List<?>) tests.get("tests")) {
            for (Object check : (List<?>) ((Map<?, ?>) test).get("alert_rule_test")) {
                Map<?, ?> c = (Map<?, ?>) check;
                List<?> expected = (List<?>) c.get("exp_alerts");
                (expected == null || expected.isEmpty() ? silent : fires).add((String) c.get("alertname"));
            }
        }
        Set<String> alerts = ObservabilityFiles.alertExpressions(ObservabilityFiles.ruleGroups()).keySet();
        assertEquals(alerts, fires, "alerts with a firing test case");
        assertEquals(alerts, silent, "alerts with a not-firing test case");
    }

    @Test
    void thePrometheusRuleHoldsTheSameRulesAndPassesPromtool(@TempDir Path tmp) throws Exception {
        Map<String, Object> rule = ObservabilityFiles.yaml(ObservabilityFiles.dir().resolve(ObservabilityFiles.PROMETHEUS_RULE));
        // the CRD's shape (monitoring.coreos.com/v1 PrometheusRule): no other top-level field, a DNS-1123 name, spec.groups only
        assertEquals(Set.of("apiVersion", "kind", "metadata", "spec"), rule.keySet());
        assertEquals("monitoring.coreos.com/v1", rule.get("apiVersion"));
        assertEquals("PrometheusRule", rule.get("kind"));
        Map<?, ?> metadata = (Map<?, ?>) rule.get("metadata");
        assertTrue(String.valueOf(metadata.get("name")).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), "metadata.name " + metadata);
        Map<String, Object> spec = ObservabilityFiles.specOf(rule);
        assertEquals(Set.of("groups"), spec.keySet());
        for (Object group : ObservabilityFiles.groups(spec)) {
            Map<?, ?> g = (Map<?, ?>) group;
            assertTrue(Set.of("name", "interval", "rules", "partial_response_strategy", "limit").containsAll(g.keySet()), g.keySet().toString());
            for (Object r : (List<?>) g.get("rules")) {
                Map<?, ?> rr = (Map<?, ?>) r;
                assertTrue(Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations").containsAll(rr.keySet()),
                        rr.keySet().toString());
                assertNotNull(rr.get("expr"));
                assertTrue(rr.containsKey("alert") != rr.containsKey("record"), "alert xor record: " + rr);
            }
        }
        assertEquals(ObservabilityFiles.ruleGroups(), ObservabilityFiles.groups(spec),
                "prometheus-rule.yaml and prometheus-rules.yaml hold different rules");

        // and its rules, as Prometheus would load them, pass promtool too
        Path extracted = tmp.resolve("from-prometheus-rule.yaml");
        Files.writeString(extracted, new Yaml().dump(spec));
        String output = run(tmp, "check", "rules", extracted.getFileName().toString());
        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void theDashboardIsGrafanaJsonWithAQueryInEveryPanel() {
        JsonNode dashboard = ObservabilityFiles.dashboard();
        assertEquals("tenant-deletion", dashboard.get("uid").asText());
        assertTrue(dashboard.get("panels").size() > 0);
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertTrue(panel.has("gridPos") && panel.has("title"), panel.toString());
            assertFalse(ObservabilityFiles.dashboardExpressions(panel).isEmpty(), "panel without a query: " + panel.get("title"));
        }
    }

    @Test
    void theMetricNamesAreReadFromTheExpressions() {
        assertEquals(Set.of("deletion_service_call_duration_seconds_bucket"), ObservabilityFiles.metricNames(
                "histogram_quantile(0.95, sum by (service, le) (rate(deletion_service_call_duration_seconds_bucket{outcome=\"success\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b"), ObservabilityFiles.metricNames("sum without (x) (increase(a_total[5m])) / on (y) group_left b > bool 0.5"));
        // what the files use: each of these must be exported (PlatformIT scrapes the apps for them)
        assertEquals(Set.of("deletion_job_duration_seconds_bucket", "deletion_job_oldest_running_seconds", "deletion_jobs_current",
                "deletion_jobs_total", "deletion_rows_deleted_total", "deletion_service_call_duration_seconds_bucket",
                "deletion_service_call_duration_seconds_count", "deletion_service_call_retries_total",
                "deletion_service_call_timeouts_total", "deletion_reverification_interval_seconds",
                "deletion_reverification_last_success_timestamp_seconds", "deletion_reverification_reappeared_rows_total",
                "deletion_reverification_tenants", "tenant_deletion_duration_seconds_bucket", "tenant_deletion_failures_total",
                "tenant_deletion_preview_duration_seconds_bucket", "tenant_deletion_ready", "tenant_deletion_rows_deleted_total"),
                ObservabilityFiles.metricNames());
    }
}
