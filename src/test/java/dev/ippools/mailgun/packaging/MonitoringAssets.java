package dev.ippools.mailgun.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL the chart ships (the Grafana dashboard and the PrometheusRule) and the metrics and
 * labels each expression names, for tests that compare them with what the operator exports.
 */
public final class MonitoringAssets {

    static final Path DASHBOARD = Path.of("dashboards/mailgun-ip-pool-operator.json");

    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,\\s*(\\w+)\\s*\\)");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(?:=~|!~|!=|=)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][\\w:]*)");
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");

    private MonitoringAssets() {}

    /** What one expression names: metrics with the labels it matches on, and grouping labels. */
    public record References(Map<String, Set<String>> metrics, Set<String> groupingLabels) {}

    public static JsonNode dashboard() {
        try {
            return Manifests.YAML.readTree(
                    ChartRenderer.chartDir().resolve(DASHBOARD).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every query of the dashboard: panel targets and template variables. */
    public static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                expressions.add(variable.path("query").path("query").asText());
            }
        }
        return expressions;
    }

    /** The rendered PrometheusRule with its defaults. */
    public static JsonNode prometheusRule() {
        HasMetadata rule =
                ChartRenderer.render(Map.of("prometheusRule", Map.of("enabled", true)))
                        .ofKind("PrometheusRule")
                        .stream()
                        .findFirst()
                        .orElseThrow();
        return Manifests.YAML.valueToTree(rule);
    }

    /** Alert name to expression. */
    public static Map<String, String> alertExpressions() {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode group : prometheusRule().path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return alerts;
    }

    /**
     * The metrics and labels a PromQL expression (or Grafana's {@code label_values}) names. Good
     * for the expressions this project writes, not a full PromQL parser.
     */
    public static References references(String expression) {
        Map<String, Set<String>> metrics = new LinkedHashMap<>();
        Set<String> grouping = new LinkedHashSet<>();
        String rest = expression.replaceAll("\\[[^]]*]", " ");

        Matcher m = LABEL_VALUES.matcher(rest);
        while (m.find()) {
            metrics.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>()).add(m.group(2));
        }
        rest = m.replaceAll(" ");
        m = GROUPING.matcher(rest);
        while (m.find()) {
            for (String label : m.group(1).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.strip());
                }
            }
        }
        rest = m.replaceAll(" ");
        m = SELECTOR.matcher(rest);
        while (m.find()) {
            Set<String> labels = metrics.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
            Matcher matcher = MATCHER.matcher(m.group(2).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
            while (matcher.find()) {
                labels.add(matcher.group(1));
            }
        }
        rest = m.replaceAll(" ").replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ");
        m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group(1);
            boolean function = rest.substring(m.end()).stripLeading().startsWith("(");
            if (!function && !KEYWORDS.contains(name.toLowerCase())) {
                metrics.computeIfAbsent(name, k -> new LinkedHashSet<>());
            }
        }
        return new References(metrics, grouping);
    }

    static String dashboardJson() {
        try {
            return Files.readString(ChartRenderer.chartDir().resolve(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
