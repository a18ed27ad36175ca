package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.packaging.MonitoringAssets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every metric and label the chart's Grafana dashboard and PrometheusRule name is one the
 * operator exports: scraped from {@code /metrics} of an operator that has reconciled, failed
 * once and recovered, so that the counters which appear only on first use are there.
 */
@EnableKubernetesMockClient(crud = true)
class MonitoringMetricsTest {

    /**
     * Named by the dashboard and the rules, exported once issue 9 (faults made visible) lands: the
     * account poller's failures and the orphaned and duplicate pools it finds. Until then they may
     * be missing from the scrape; once there, they are checked like the rest, with these labels.
     */
    static final Map<String, Set<String>> ADDED_BY_ISSUE_9 = Map.of(
            "mailgun_account_poll_failures_total", Set.of("account", "reason"),
            "mailgun_pools_orphaned", Set.of("account"),
            "mailgun_pools_duplicate", Set.of("account"));

    /** Made by Prometheus itself for each scrape target, not by the operator. */
    static final Set<String> FROM_PROMETHEUS = Set.of("up");

    /** Added at scrape time by Prometheus and the ServiceMonitor (the target's labels). */
    static final Set<String> TARGET_LABELS =
            Set.of("job", "instance", "namespace", "pod", "service", "endpoint", "container");

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)})? \\S+$");
    static final Pattern LABEL = Pattern.compile("(\\w+)=\"(?:[^\"\\\\]|\\\\.)*\"");

    KubernetesClient client;

    /** Metric name (as scraped, suffixes included) to its label names. */
    static Map<String, Set<String>> parse(String scrape) {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Set<String> labels = metrics.computeIfAbsent(m.group(1), k -> new HashSet<>());
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return metrics;
    }

    private static String scrapeAfterAFailureAndARecovery(KubernetesClient client) {
        try (TestCluster cluster = new TestCluster(client);
                OperatorProcess operator = OperatorProcess.start(client, cluster.settings(null), code -> {})) {
            // 503 to the create's first attempt and the client's 3 retries: one failed reconcile,
            // which JOSDK retries, then success.
            cluster.emulator
                    .faults()
                    .add(Fault.status("POST", "^/v3/ip_pools$", 503).withCount(4));
            cluster.createPool("transactional", "198.51.100.10", "198.51.100.11");
            cluster.awaitReady("transactional");
            return cluster.get(operator.httpPort(), "/metrics").body();
        }
    }

    @Test
    void everyMetricAndLabelOfTheDashboardAndTheRulesIsExported() {
        Map<String, Set<String>> exported = parse(scrapeAfterAFailureAndARecovery(client));
        Map<String, String> queries = new LinkedHashMap<>();
        MonitoringAssets.dashboardExpressions().forEach(q -> queries.put("dashboard: " + q, q));
        MonitoringAssets.alertExpressions().forEach((alert, q) -> queries.put(alert + ": " + q, q));
        Set<String> named = new HashSet<>();

        SoftAssertions softly = new SoftAssertions();
        queries.forEach((where, query) -> {
            MonitoringAssets.References refs = MonitoringAssets.references(query);
            softly.assertThat(refs.metrics()).as("metrics in %s", where).isNotEmpty();
            Set<String> labelsInQuery = new HashSet<>(TARGET_LABELS);
            refs.metrics().forEach((metric, used) -> {
                named.add(metric);
                if (FROM_PROMETHEUS.contains(metric)) {
                    labelsInQuery.addAll(used);
                    return;
                }
                Set<String> labels = exported.get(metric);
                if (labels == null && ADDED_BY_ISSUE_9.containsKey(metric)) {
                    labels = ADDED_BY_ISSUE_9.get(metric);
                }
                softly.assertThat(labels)
                        .as("%s in /metrics (%s)", metric, where)
                        .isNotNull();
                if (labels != null) {
                    labelsInQuery.addAll(labels);
                    Set<String> unknown = new HashSet<>(used);
                    unknown.removeAll(labels);
                    unknown.removeAll(TARGET_LABELS);
                    softly.assertThat(unknown)
                            .as("labels of %s matched in %s", metric, where)
                            .isEmpty();
                }
            });
            List<String> unknownGrouping = new ArrayList<>(refs.groupingLabels());
            unknownGrouping.removeAll(labelsInQuery);
            softly.assertThat(unknownGrouping)
                    .as("grouping labels in %s", where)
                    .isEmpty();
        });
        // The list stays honest: each name in it is used, and carries its labels once exported.
        softly.assertThat(named).containsAll(ADDED_BY_ISSUE_9.keySet());
        ADDED_BY_ISSUE_9.forEach((metric, labels) -> {
            if (exported.containsKey(metric)) {
                softly.assertThat(exported.get(metric)).as(metric).containsAll(labels);
            }
        });
        softly.assertAll();
    }

    @Test
    void theReferenceScannerFindsMetricsMatchersAndGrouping() {
        MonitoringAssets.References refs = MonitoringAssets.references(
                "sum by (endpoint, status) (increase(mailgun_api_calls_total{job=\"a\",status=~\"4..\"}"
                        + "[5m])) / on (job) group_left sum(up) > bool 0 or vector(0)");
        assertThat(refs.metrics()).containsOnlyKeys("mailgun_api_calls_total", "up");
        assertThat(refs.metrics().get("mailgun_api_calls_total")).containsOnly("job", "status");
        assertThat(refs.groupingLabels()).containsOnly("endpoint", "status", "job");
        assertThat(MonitoringAssets.references("label_values(mailgun_operator_leader, namespace)")
                        .metrics())
                .containsEntry("mailgun_operator_leader", Set.of("namespace"));
    }
}
