package dev.ippools.mailgun.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's optional Grafana dashboard ConfigMap and PrometheusRule: off by default, linted
 * and rendered when on, and covering what the README promises. MonitoringMetricsTest checks
 * their metrics against a running operator.
 */
class MonitoringChartTest {

    static final Map<String, Object> BOTH_ON =
            Map.of("grafanaDashboard", Map.of("enabled", true), "prometheusRule", Map.of("enabled", true));

    @Test
    void neitherIsRenderedByDefault() {
        Manifests rendered = ChartRenderer.render(Map.of());
        assertThat(rendered.ofKind("PrometheusRule")).isEmpty();
        assertThat(rendered.all(ConfigMap.class)).isEmpty();
    }

    @Test
    void lintStrictPassesWithBothOn(@TempDir Path dir) throws IOException {
        // helm-java's lint takes no values: lint a copy whose values.yaml turns both on.
        Path chart = dir.resolve("mailgun-ip-pool-operator");
        try (Stream<Path> files = Files.walk(ChartRenderer.chartDir())) {
            for (Path f : files.toList()) {
                Path target =
                        chart.resolve(ChartRenderer.chartDir().relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path values = chart.resolve("values.yaml");
        String text = Files.readString(values);
        for (String key : List.of("grafanaDashboard:", "prometheusRule:")) {
            int at = text.indexOf("\n" + key + "\n  enabled: false");
            assertThat(at).as(key).isPositive();
            text = text.substring(0, at) + text.substring(at).replaceFirst("enabled: false", "enabled: true");
        }
        Files.writeString(values, text);
        assertThat(ChartRenderer.render(BOTH_ON).ofKind("PrometheusRule")).hasSize(1);

        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void theDashboardIsAConfigMapWithTheSidecarLabel() {
        ConfigMap dashboard = ChartRenderer.render(BOTH_ON).only(ConfigMap.class);

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        assertThat(dashboard.getData()).containsOnlyKeys("mailgun-ip-pool-operator.json");
        assertThat(dashboard.getData().get("mailgun-ip-pool-operator.json"))
                .isEqualTo(MonitoringAssets.dashboardJson().strip());

        ConfigMap moved = ChartRenderer.render(Map.of(
                        "grafanaDashboard",
                        Map.of(
                                "enabled",
                                true,
                                "label",
                                "dashboards",
                                "labelValue",
                                "mailgun",
                                "annotations",
                                Map.of("grafana_folder", "Mail"),
                                "namespace",
                                "monitoring")))
                .only(ConfigMap.class);
        assertThat(moved.getMetadata().getLabels())
                .containsEntry("dashboards", "mailgun")
                .doesNotContainKey("grafana_dashboard");
        assertThat(moved.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Mail");
        assertThat(moved.getMetadata().getNamespace()).isEqualTo("monitoring");
    }

    @Test
    void theDashboardHasThePanelsTheReadmeNames() {
        JsonNode dashboard = MonitoringAssets.dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("mailgun-ip-pool-operator");
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles)
                .contains(
                        "Resources by Ready condition",
                        "Mailgun calls by endpoint",
                        "Mailgun latency by endpoint (mean)",
                        "Rate-limit waits",
                        "Poll failures by account",
                        "Reconcile rate",
                        "Reconcile errors",
                        "Orphaned and duplicate pools by account");
        // Every query goes to the data source the user picks.
        dashboard.path("panels").forEach(p -> {
            if (!p.path("type").asText().equals("row")) {
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        });
        String queries = String.join("\n", MonitoringAssets.dashboardExpressions());
        assertThat(queries)
                .contains(
                        "mailgun_resources",
                        "mailgun_api_calls_total",
                        "mailgun_api_call_duration_seconds",
                        "mailgun_rate_limit_wait_seconds",
                        "mailgun_account_poll_failures_total",
                        "operator_sdk_reconciliations_started_total",
                        "operator_sdk_reconciliations_failed_total",
                        "mailgun_pools_orphaned",
                        "mailgun_pools_duplicate");
    }

    @Test
    void theRulesAlertOnWhatPeoplePageOn() {
        Map<String, String> alerts = MonitoringAssets.alertExpressions();
        assertThat(alerts)
                .containsOnlyKeys(
                        "MailgunIpPoolOperatorDown",
                        "MailgunIpPoolOperatorNoLeader",
                        "MailgunIpPoolResourcesNotReady",
                        "MailgunApiKeyRejected",
                        "MailgunRateLimited",
                        "MailgunAccountPollFailing",
                        "MailgunOrphanedPools",
                        "MailgunDuplicatePools");
        assertThat(alerts.get("MailgunApiKeyRejected")).contains("status=~\"401|403\"");
        assertThat(alerts.get("MailgunRateLimited")).contains("status=\"429\"");

        JsonNode rule = MonitoringAssets.prometheusRule();
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        // The series of this release: what the chart's ServiceMonitor scrapes from its Service.
        Service service = ChartRenderer.render(Map.of()).only(Service.class);
        String selector =
                "job=\"" + service.getMetadata().getName() + "\",namespace=\"" + ChartRenderer.NAMESPACE + "\"";
        assertThat(alerts.values()).allSatisfy(expr -> assertThat(expr).contains(selector));
        rule.path("spec").path("groups").get(0).path("rules").forEach(r -> {
            assertThat(r.path("labels").path("severity").asText()).isIn("critical", "warning");
            assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
            assertThat(r.path("annotations").path("description").asText()).doesNotContain("{{ .");
        });
    }

    @Test
    void thresholdsLabelsAndSelectorFollowTheValues() {
        HasMetadata rendered = ChartRenderer.render(Map.of(
                        "prometheusRule",
                        Map.of(
                                "enabled",
                                true,
                                "labels",
                                Map.of("release", "prom"),
                                "selector",
                                "job=\"mailgun\"",
                                "notReadyFor",
                                "1h",
                                "rateLimitedFor",
                                "30m",
                                "pollFailingFor",
                                "20m")))
                .ofKind("PrometheusRule")
                .get(0);
        JsonNode rules = Manifests.YAML
                .valueToTree(rendered)
                .path("spec")
                .path("groups")
                .get(0)
                .path("rules");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        rules.forEach(r -> byName.put(r.path("alert").asText(), r));

        assertThat(rendered.getMetadata().getLabels()).containsEntry("release", "prom");
        assertThat(byName.get("MailgunIpPoolResourcesNotReady").path("for").asText())
                .isEqualTo("1h");
        assertThat(byName.get("MailgunRateLimited").path("for").asText()).isEqualTo("30m");
        assertThat(byName.get("MailgunAccountPollFailing").path("for").asText()).isEqualTo("20m");
        assertThat(byName.get("MailgunIpPoolOperatorDown").path("expr").asText())
                .isEqualTo("absent(up{job=\"mailgun\"} == 1)");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("notReadyFor", Map.of("prometheusRule", Map.of("notReadyFor", "soon"))),
                Arguments.of("selector", Map.of("prometheusRule", Map.of("selector", "{job=\"x\"}"))),
                Arguments.of("labelValue", Map.of("grafanaDashboard", Map.of("labelValue", 1))),
                Arguments.of("label", Map.of("grafanaDashboard", Map.of("label", "not a label"))),
                Arguments.of("namespace", Map.of("grafanaDashboard", Map.of("namespace", "Not_Valid"))),
                Arguments.of("dashboard", Map.of("grafanaDashboard", Map.of("dashboard", "x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void valuesSchemaRejectsBadValues(String key, Map<String, Object> values) {
        assertThatThrownBy(() -> ChartRenderer.render(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(key);
    }
}
