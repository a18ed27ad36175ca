package dev.ippools.mailgun.client.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.MailgunResponseException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Response;

/**
 * Maps what went wrong with an answer to the typed exceptions. Messages are shortened to one line
 * and never carry the API key, even when Mailgun echoes it back.
 */
final class MailgunErrors {

    private static final int MAX_MESSAGE_CHARS = 300;
    private static final int MIN_REDACTABLE_KEY_LENGTH = 8;

    private MailgunErrors() {}

    /** A non-2xx answer; a 429 carries when the account may call again, if anyone knows. */
    static MailgunApiException apiError(
            Endpoint endpoint, Response response, String text, String key, MailgunClientOptions options) {
        int status = response.code();
        String message = redact(mailgunMessage(text), key);
        if (message.isEmpty()) {
            message = response.message();
        }
        Duration retryAfter = null;
        if (status == 429) {
            Instant now = options.clock().instant();
            retryAfter = RateLimitHeaders.resetTime(response, now)
                    .or(() -> options.rateLimiter().pausedUntil())
                    .map(until -> RateLimitHeaders.until(now, until))
                    .orElse(null);
        }
        return new MailgunApiException(endpoint.method(), endpoint.toString(), status, message, retryAfter);
    }

    /** A 2xx answer whose body is not JSON at all. */
    static MailgunResponseException notJson(Endpoint endpoint, int status, String text) {
        String hint = text.contains("Mailgun Magnificent API")
                ? " (Mailgun's answer to an unknown URL: is the base URL right?)"
                : "";
        return new MailgunResponseException(
                endpoint.method(),
                endpoint.toString(),
                status,
                "its body is not JSON: \"" + shorten(text) + "\"" + hint,
                null);
    }

    /** A 2xx answer whose JSON lacks what the operation needs. */
    static MailgunResponseException badShape(Endpoint endpoint, int status, Exception cause) {
        String problem = cause instanceof ResponseBodies.ShapeException
                ? cause.getMessage()
                : "its body does not have the expected shape ("
                        + cause.getClass().getSimpleName()
                        + ")";
        return new MailgunResponseException(endpoint.method(), endpoint.toString(), status, problem, cause);
    }

    /** A 2xx answer that contradicts itself or the paging contract. */
    static MailgunResponseException inconsistent(Endpoint endpoint, String problem) {
        return new MailgunResponseException(endpoint.method(), endpoint.toString(), 200, problem, null);
    }

    /**
     * Mailgun's {@code {"message": ...}}, else the plain-text body (401 is plain {@code Forbidden}).
     */
    static String mailgunMessage(String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.isEmpty()) {
            return "";
        }
        if (trimmed.startsWith("{")) {
            try {
                JsonNode message = MailgunJson.MAPPER.readTree(trimmed).path("message");
                return message.isValueNode() ? shorten(message.asText()) : "";
            } catch (JsonProcessingException e) {
                // Not JSON after all: fall through to the text.
            }
        }
        return shorten(trimmed);
    }

    private static String shorten(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE_CHARS ? oneLine : oneLine.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static String redact(String text, String key) {
        if (key.length() < MIN_REDACTABLE_KEY_LENGTH || !text.contains(key)) {
            return text;
        }
        return text.replace(key, RedactingLoggingInterceptor.REDACTED);
    }
}
