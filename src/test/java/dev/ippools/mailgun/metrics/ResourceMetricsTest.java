package dev.ippools.mailgun.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResourceMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<HasMetadata> cache = new ArrayList<>();
    private boolean cacheReadable = true;
    private final ResourceMetrics metrics = new ResourceMetrics(registry, () -> {
        if (!cacheReadable) {
            throw new IllegalStateException("informer not started");
        }
        return cache.stream();
    });

    private static IpPool pool(String readyStatus, String reason) {
        IpPool pool = Serialization.unmarshal("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: p, namespace: default}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class);
        if (readyStatus != null) {
            Condition ready = new ConditionBuilder()
                    .withType("Ready")
                    .withStatus(readyStatus)
                    .withReason(reason)
                    .withMessage("m")
                    .withLastTransitionTime("2025-01-01T00:00:00Z")
                    .build();
            Condition synced = new ConditionBuilder()
                    .withType("Synced")
                    .withStatus("True")
                    .withReason("ReconcileSuccess")
                    .withLastTransitionTime("2025-01-01T00:00:00Z")
                    .build();
            IpPoolStatus status = Serialization.unmarshal("{}", IpPoolStatus.class);
            pool.setStatus(status.withConditions(List.of(synced, ready)));
        }
        return pool;
    }

    @Test
    void countsResourcesByKindAndReadyCondition() {
        cache.addAll(List.of(
                pool("True", "Available"),
                pool("True", "Available"),
                pool("False", "Invalid"),
                pool(null, null),
                new DomainPoolBinding()));

        metrics.refresh();

        assertThat(registry.scrape())
                .contains("mailgun_resources{kind=\"IpPool\",ready=\"True\",reason=\"Available\"} 2")
                .contains("mailgun_resources{kind=\"IpPool\",ready=\"False\",reason=\"Invalid\"} 1")
                .contains("mailgun_resources{kind=\"IpPool\",ready=\"Unknown\",reason=\"None\"} 1")
                .contains("mailgun_resources{kind=\"DomainPoolBinding\",ready=\"Unknown\"," + "reason=\"None\"} 1");
    }

    @Test
    void pausedResourcesAreCountedByKindAndAResumeCountsZero() {
        IpPool paused = pool("True", "Available");
        paused.getMetadata().setAnnotations(Map.of("mailgun.ippools.dev/paused", "true"));
        IpPool notPaused = pool("True", "Available");
        notPaused.getMetadata().setAnnotations(Map.of("mailgun.ippools.dev/paused", "false"));
        cache.addAll(List.of(paused, notPaused, new DomainPoolBinding()));

        metrics.refresh();

        assertThat(registry.scrape())
                .contains("mailgun_resources_paused{kind=\"IpPool\"} 1")
                .contains("mailgun_resources_paused{kind=\"DomainPoolBinding\"} 0");
        paused.getMetadata().setAnnotations(Map.of());
        metrics.refresh();
        assertThat(registry.scrape()).contains("mailgun_resources_paused{kind=\"IpPool\"} 0");
    }

    @Test
    void statesThatAreGoneDropOut() {
        cache.add(pool("False", "Creating"));
        metrics.refresh();
        cache.clear();
        cache.add(pool("True", "Available"));

        metrics.refresh();

        assertThat(registry.scrape())
                .contains("mailgun_resources{kind=\"IpPool\",ready=\"True\",reason=\"Available\"} 1")
                .doesNotContain("reason=\"Creating\"");
    }

    @Test
    void aCacheThatCannotBeReadKeepsTheLastCounts() {
        cache.add(pool("True", "Available"));
        metrics.refresh();
        cacheReadable = false;

        metrics.refresh();

        assertThat(registry.scrape())
                .contains("mailgun_resources{kind=\"IpPool\",ready=\"True\",reason=\"Available\"} 1");
    }

    @Test
    void nothingCachedMeansNoRows() {
        metrics.refresh();
        assertThat(registry.scrape()).doesNotContain("mailgun_resources{");
        assertThat(Stream.of(registry.scrape().split("\n"))).noneMatch(l -> l.startsWith("mailgun_"));
    }
}
