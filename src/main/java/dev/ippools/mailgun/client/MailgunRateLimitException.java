package dev.ippools.mailgun.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The call was not sent: the account's rate limiter (paused by an earlier 429, or simply busy)
 * would only hand out a permit after the call timeout. Transient; retry after {@link
 * #retryAfter()}.
 */
public final class MailgunRateLimitException extends MailgunException {

    private final Duration retryAfter;

    public MailgunRateLimitException(String method, String endpoint, Duration retryAfter) {
        super(
                endpoint
                        + " was not sent: the account's rate limit allows the next call in "
                        + retryAfter.toMillis()
                        + " ms, beyond the call timeout",
                method,
                endpoint,
                null);
        this.retryAfter = retryAfter;
    }

    @Override
    public boolean isTransient() {
        return true;
    }

    @Override
    public boolean isRateLimited() {
        return true;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(retryAfter);
    }
}
