package dev.tenantdeletion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/observability as the tests read it: the PromQL expressions of the alert rules (both files) and of
 * the Grafana dashboard, and the metric names they use.
 */
public final class ObservabilityFiles {

    public static final String RULES = "prometheus-rules.yaml";
    public static final String PROMETHEUS_RULE = "prometheus-rule.yaml";
    public static final String RULES_TEST = "prometheus-rules.test.yaml";
    private static final String DASHBOARD = "grafana-dashboard.json";

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w(])(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "and", "or", "unless", "inf", "nan", "atan2");

    private ObservabilityFiles() {
    }

    /** deploy/observability of the repository the tests run in. */
    public static Path dir() {
        return RepositoryRoot.path().resolve("deploy/observability");
    }

    /** The groups of the plain rules file. */
    public static List<Object> ruleGroups() {
        return groups(yaml(dir().resolve(RULES)));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> yaml(Path file) {
        try {
            return (Map<String, Object>) new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Object> groups(Map<String, Object> rulesFile) {
        return (List<Object>) rulesFile.get("groups");
    }

    /** Every alert's expression, by alert name. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alertExpressions(List<Object> groups) {
        Map<String, String> alerts = new java.util.LinkedHashMap<>();
        for (Object group : groups) {
            for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                Map<String, Object> r = (Map<String, Object>) rule;
                alerts.put(String.valueOf(r.getOrDefault("alert", r.get("record"))), String.valueOf(r.get("expr")));
            }
        }
        return alerts;
    }

    public static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(dir().resolve(DASHBOARD).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every target expression of every panel (rows' nested panels included). */
    public static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("targets").forEach(targets -> targets.forEach(t -> {
            if (t.hasNonNull("expr")) {
                expressions.add(t.get("expr").asText());
            }
        }));
        return expressions;
    }

    /** Every expression the rules and the dashboard use. */
    private static List<String> allExpressions() {
        List<String> all = new ArrayList<>(alertExpressions(ruleGroups()).values());
        all.addAll(alertExpressions(groups(specOf(yaml(dir().resolve(PROMETHEUS_RULE))))).values());
        all.addAll(dashboardExpressions(dashboard()));
        return all;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> specOf(Map<String, Object> prometheusRule) {
        return (Map<String, Object>) prometheusRule.get("spec");
    }

    /**
     * The metric names a PromQL expression selects: what is left once strings, label matchers, ranges,
     * grouping clauses, function and aggregation names, keywords and numbers are taken out.
     */
    public static Set<String> metricNames(String promql) {
        String rest = STRING.matcher(promql).replaceAll(" ");
        rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group(1);
            if (!KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every metric name used by the rules and the dashboard. */
    public static Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        allExpressions().forEach(e -> names.addAll(metricNames(e)));
        return names;
    }

    /** The sample names of a Prometheus text-format scrape. */
    public static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
