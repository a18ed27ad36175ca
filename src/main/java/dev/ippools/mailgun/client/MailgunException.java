package dev.ippools.mailgun.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A Mailgun call failed. Messages name the endpoint template (never the key, never a request
 * header), so they are safe for logs, status conditions and events.
 */
public abstract class MailgunException extends RuntimeException {

    private final String method;
    private final String endpoint;

    protected MailgunException(String message, String method, String endpoint, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.endpoint = endpoint;
    }

    /** True when the same call may succeed later without any change (I/O, 408, 429, 5xx). */
    public abstract boolean isTransient();

    /** True when Mailgun (or the account's local rate limiter) asked callers to slow down. */
    public boolean isRateLimited() {
        return false;
    }

    /** How long to wait before calling again, when known. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** HTTP method of the failed call, e.g. {@code DELETE}. */
    public String method() {
        return method;
    }

    /** Method and path template of the failed call, e.g. {@code DELETE /v3/ip_pools/{pool_id}}. */
    public String endpoint() {
        return endpoint;
    }
}
