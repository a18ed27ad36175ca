package dev.ippools.mailgun.client;

import java.time.Duration;
import java.util.Optional;

/** Mailgun answered with a non-2xx status. Branch on the status, never on the message text. */
public final class MailgunApiException extends MailgunException {

    private final int status;
    private final String mailgunMessage;
    private final Duration retryAfter;

    public MailgunApiException(String method, String endpoint, int status, String mailgunMessage, Duration retryAfter) {
        super(describe(endpoint, status, mailgunMessage, retryAfter), method, endpoint, null);
        this.status = status;
        this.mailgunMessage = mailgunMessage == null ? "" : mailgunMessage;
        this.retryAfter = retryAfter;
    }

    private static String describe(String endpoint, int status, String mailgunMessage, Duration retryAfter) {
        String text = mailgunMessage == null || mailgunMessage.isBlank() ? "" : " " + mailgunMessage;
        if (status == 401) {
            return "Mailgun rejected the API key (401" + text + ") on " + endpoint;
        }
        if (status == 403) {
            return "Mailgun denied access (403" + text + ") on " + endpoint;
        }
        String wait = retryAfter == null ? "" : " (retry after " + retryAfter.toMillis() + " ms)";
        return endpoint + " failed with " + status + ":" + (text.isEmpty() ? " (no message)" : text) + wait;
    }

    public int status() {
        return status;
    }

    /** Mailgun's {@code message} field, or the plain-text body; empty when there was none. */
    public String mailgunMessage() {
        return mailgunMessage;
    }

    @Override
    public boolean isTransient() {
        return status == 408 || status == 429 || status >= 500;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /** 401 (bad key) or 403 (key valid but not allowed). */
    public boolean isUnauthorized() {
        return status == 401 || status == 403;
    }

    @Override
    public boolean isRateLimited() {
        return status == 429;
    }

    /** For 429: when Mailgun lets the account call again (from its headers, else the backoff). */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
