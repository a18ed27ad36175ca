package dev.ippools.mailgun.client.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Response;

/**
 * When a 429 lets the account call again: {@code X-RateLimit-Reset} first (epoch seconds, may be
 * fractional; the header Mailgun's limiter emits), else {@code Retry-After} (seconds or an HTTP
 * date), else unknown.
 */
final class RateLimitHeaders {

    static final String RATE_LIMIT_RESET = "X-RateLimit-Reset";
    static final String RETRY_AFTER = "Retry-After";

    // Below this an "epoch" would be before 2001: such small values are read as seconds from now.
    private static final double SMALLEST_EPOCH_SECONDS = 1e9;
    // Above this the value is epoch milliseconds, not seconds.
    private static final double LARGEST_EPOCH_SECONDS = 1e11;

    private RateLimitHeaders() {}

    static Optional<Instant> resetTime(Response response, Instant now) {
        Optional<Instant> reset = parseReset(response.header(RATE_LIMIT_RESET), now);
        return reset.isPresent() ? reset : parseRetryAfter(response.header(RETRY_AFTER), now);
    }

    static Optional<Instant> parseReset(String value, Instant now) {
        Double number = parseNumber(value);
        if (number == null) {
            return Optional.empty();
        }
        if (number < SMALLEST_EPOCH_SECONDS) {
            return Optional.of(now.plus(secondsToDuration(number)));
        }
        double seconds = number > LARGEST_EPOCH_SECONDS ? number / 1000 : number;
        long whole = (long) Math.floor(seconds);
        long nanos = Math.round((seconds - whole) * 1e9);
        return Optional.of(Instant.ofEpochSecond(whole, nanos));
    }

    static Optional<Instant> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Double seconds = parseNumber(value);
        if (seconds != null) {
            return Optional.of(now.plus(secondsToDuration(seconds)));
        }
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Time from {@code now} until {@code until}, never negative. */
    static Duration until(Instant now, Instant until) {
        Duration d = Duration.between(now, until);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Duration secondsToDuration(double seconds) {
        return Duration.ofNanos((long) Math.max(0, seconds * 1e9));
    }

    private static Double parseNumber(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.trim());
            return Double.isFinite(d) && d >= 0 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
