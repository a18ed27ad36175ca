package dev.ippools.mailgun.metrics;

import dev.ippools.mailgun.client.MailgunCallListener;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** One Prometheus registry per operator process and everything that reports into it. */
public final class OperatorMetrics implements AutoCloseable {

    /** The Prometheus text exposition format that {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MailgunCallMetrics mailgunCalls = new MailgunCallMetrics(registry);
    private final AccountMetrics accounts = new AccountMetrics(registry);
    // Per-resource meters would grow with the number of resources; per-controller ones suffice.
    private final Metrics reconciles = MicrometerMetrics.withoutPerResourceMetrics(registry);
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public OperatorMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** For meters of other components. */
    public MeterRegistry registry() {
        return registry;
    }

    /** For {@code ConfigurationServiceOverrider.withMetrics}: JOSDK's reconcile metrics. */
    public Metrics reconciles() {
        return reconciles;
    }

    /** For {@code MailgunClients}: Mailgun call counters, latencies and rate-limit waits. */
    public MailgunCallListener mailgunCalls() {
        return mailgunCalls;
    }

    /** Poll failures and stray pools per Mailgun account. */
    public AccountMetrics accounts() {
        return accounts;
    }

    /** Reports {@code mailgun_resources} from these resources, recounted on each scrape. */
    public void trackResources(Supplier<Stream<? extends HasMetadata>> resources) {
        ResourceMetrics gauge = new ResourceMetrics(registry, resources);
        beforeScrape.add(gauge::refresh);
    }

    /** Reports {@code mailgun_operator_leader}: 1 while this process may reconcile. */
    public void trackLeadership(BooleanSupplier leading) {
        Gauge.builder("mailgun.operator.leader", () -> leading.getAsBoolean() ? 1 : 0)
                .description("1 while this operator process holds the leader Lease (or runs alone)")
                .register(registry);
    }

    /** Every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
