package dev.ippools.mailgun.metrics;

import dev.ippools.mailgun.client.MailgunCallListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Counts and times every attempt to call Mailgun ({@code mailgun_api_calls_total}, {@code
 * mailgun_api_call_duration_seconds}) and the time calls spent waiting for their account's rate
 * limiter ({@code mailgun_rate_limit_wait_seconds}).
 */
public final class MailgunCallMetrics implements MailgunCallListener {

    /** The {@code status} label of an attempt that got no HTTP response. */
    public static final String NO_RESPONSE = "error";

    private final MeterRegistry registry;
    private final Timer rateLimitWait;

    public MailgunCallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rateLimitWait = Timer.builder("mailgun.rate.limit.wait")
                .description("Time Mailgun calls waited for their account's rate limiter")
                .register(registry);
    }

    @Override
    public void onCall(String method, String endpoint, int status, Duration latency) {
        String path = pathTemplate(method, endpoint);
        Counter.builder("mailgun.api.calls")
                .description("HTTP attempts to call Mailgun, retries included")
                .tag("endpoint", path)
                .tag("method", method)
                .tag("status", status < 0 ? NO_RESPONSE : Integer.toString(status))
                .register(registry)
                .increment();
        Timer.builder("mailgun.api.call.duration")
                .description("Time from sending a Mailgun request to its response headers")
                .tag("endpoint", path)
                .tag("method", method)
                .register(registry)
                .record(latency);
    }

    @Override
    public void onRateLimitWait(Duration waited) {
        rateLimitWait.record(waited);
    }

    // The client labels calls "GET /v3/ip_pools"; the method is a label of its own.
    private static String pathTemplate(String method, String endpoint) {
        String prefix = method + " ";
        return endpoint.startsWith(prefix) ? endpoint.substring(prefix.length()) : endpoint;
    }
}
