package dev.ippools.mailgun.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MailgunCallMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MailgunCallMetrics metrics = new MailgunCallMetrics(registry);

    @Test
    void countsCallsByEndpointMethodAndStatus() {
        metrics.onCall("GET", "GET /v3/ip_pools", 200, Duration.ofMillis(30));
        metrics.onCall("GET", "GET /v3/ip_pools", 200, Duration.ofMillis(10));
        metrics.onCall("GET", "GET /v3/ip_pools", 429, Duration.ofMillis(5));
        metrics.onCall("DELETE", "DELETE /v3/ip_pools/{pool_id}", -1, Duration.ofMillis(1));

        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"GET\"," + "status=\"200\"} 2")
                .contains("mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"GET\"," + "status=\"429\"} 1")
                .contains("mailgun_api_calls_total{endpoint=\"/v3/ip_pools/{pool_id}\",method=\"DELETE\","
                        + "status=\"error\"} 1")
                .contains("mailgun_api_call_duration_seconds_count{endpoint=\"/v3/ip_pools\"," + "method=\"GET\"} 3")
                .contains("mailgun_api_call_duration_seconds_sum{endpoint=\"/v3/ip_pools\"," + "method=\"GET\"} 0.045");
    }

    @Test
    void timesRateLimitWaits() {
        metrics.onRateLimitWait(Duration.ofMillis(250));
        metrics.onRateLimitWait(Duration.ofMillis(750));

        assertThat(registry.scrape())
                .contains("mailgun_rate_limit_wait_seconds_count 2")
                .contains("mailgun_rate_limit_wait_seconds_sum 1.0")
                .contains("mailgun_rate_limit_wait_seconds_max 0.75");
    }
}
