package dev.ippools.mailgun.metrics;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ConditionedStatus;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges {@code mailgun_resources{kind,ready,reason}}: how many resources are in each Ready
 * state, and {@code mailgun_resources_paused{kind}}: how many carry the paused annotation. Recounted from in-memory caches on each scrape, so it costs no API call.
 */
public final class ResourceMetrics {

    /** The {@code reason} label of a resource that has no Ready condition yet. */
    public static final String NO_CONDITION = "None";

    private static final Logger log = LoggerFactory.getLogger(ResourceMetrics.class);

    private final MultiGauge gauge;
    private final MultiGauge paused;
    private final Supplier<Stream<? extends HasMetadata>> resources;

    public ResourceMetrics(MeterRegistry registry, Supplier<Stream<? extends HasMetadata>> resources) {
        this.gauge = MultiGauge.builder("mailgun.resources")
                .description("Custom resources by kind and Ready condition status and reason")
                .register(registry);
        this.paused = MultiGauge.builder("mailgun.resources.paused")
                .description("Custom resources by kind that carry the paused annotation")
                .register(registry);
        this.resources = resources;
    }

    /** The primary resources in the caches of the operator's controllers. */
    public static Supplier<Stream<? extends HasMetadata>> cachedBy(Operator operator) {
        return () -> operator.getRegisteredControllers().stream()
                .filter(Controller.class::isInstance)
                .flatMap(c -> ((Controller<?>) c)
                        .getEventSourceManager()
                        .getControllerEventSource()
                        .list(r -> true));
    }

    /** Recounts; kinds and states no longer present drop out of the gauge. */
    public void refresh() {
        List<? extends HasMetadata> all;
        try (Stream<? extends HasMetadata> cached = resources.get()) {
            all = cached.toList();
        } catch (RuntimeException e) {
            // A cache not started yet or stopping; the previous counts stay.
            log.debug("Could not count resources: {}", e.toString());
            return;
        }
        gauge.register(
                rows(all.stream().collect(Collectors.groupingBy(ResourceMetrics::tags, Collectors.counting()))), true);
        // every kind seen gets a row, so a resume shows as 0 rather than a vanished series
        Map<Tags, Long> pausedCounts = all.stream()
                .collect(Collectors.groupingBy(
                        r -> Tags.of("kind", HasMetadata.getKind(r.getClass())),
                        Collectors.filtering(ResourceMetrics::paused, Collectors.counting())));
        paused.register(rows(pausedCounts), true);
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Long> counts) {
        return counts.entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                .toList();
    }

    private static boolean paused(HasMetadata resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(ApiConstants.PAUSED_ANNOTATION));
    }

    private static Tags tags(HasMetadata resource) {
        Optional<Condition> ready = readyCondition(resource);
        return Tags.of(
                "kind", HasMetadata.getKind(resource.getClass()),
                "ready", ready.map(Condition::getStatus).orElse(Conditions.UNKNOWN),
                "reason", ready.map(Condition::getReason).orElse(NO_CONDITION));
    }

    private static Optional<Condition> readyCondition(HasMetadata resource) {
        if (resource instanceof CustomResource<?, ?> cr
                && cr.getStatus() instanceof ConditionedStatus<?> status
                && status.conditions() != null) {
            return Conditions.find(status.conditions(), ConditionTypes.READY);
        }
        return Optional.empty();
    }
}
