package dev.ippools.mailgun.client;

import java.time.Duration;

/**
 * Observes every HTTP exchange with Mailgun, so metrics can hook in without the client depending on
 * a metrics library. Called on the calling thread; implementations must be quick and must not throw
 * (exceptions are logged and ignored).
 */
public interface MailgunCallListener {

    MailgunCallListener NONE = new MailgunCallListener() {};

    /**
     * One attempt finished.
     *
     * @param method HTTP method, e.g. {@code GET}
     * @param endpoint method and path template, e.g. {@code GET /v3/ip_pools/{pool_id}}
     * @param status HTTP status, or -1 when the attempt failed with an I/O error
     * @param latency time from sending the request to receiving the response headers
     */
    default void onCall(String method, String endpoint, int status, Duration latency) {}

    /** A call waited this long for the account's rate limiter before it could be sent. */
    default void onRateLimitWait(Duration waited) {}
}
