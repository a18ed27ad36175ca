package dev.ippools.mailgun.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mailgun's request limit per API key, when one is set: calls counted in one-second windows
 * (Mailgun's {@code X-RateLimit-Reset} is in whole epoch seconds), the call over the limit
 * answered 429 with the {@code X-RateLimit-*} headers. Off (no limit) by default.
 */
final class RateLimits {

    private volatile int perSecond;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Calls per second and key; 0 turns the limit off. */
    void set(double callsPerSecond) {
        if (callsPerSecond < 0 || Double.isNaN(callsPerSecond) || Double.isInfinite(callsPerSecond)) {
            throw new IllegalArgumentException("rate limit must be zero (off) or a positive number");
        }
        perSecond = callsPerSecond == 0 ? 0 : Math.max(1, (int) Math.round(callsPerSecond));
        windows.clear();
    }

    int perSecond() {
        return perSecond;
    }

    /**
     * Counts one call of {@code key} at {@code now}; the headers of a 429 when it is over the
     * limit, empty when it may go on.
     */
    Optional<Map<String, String>> refuse(String key, Instant now) {
        int limit = perSecond;
        if (limit == 0) {
            return Optional.empty();
        }
        long second = now.getEpochSecond();
        Window w = windows.compute(
                key, (k, old) -> old == null || old.second() != second ? new Window(second, 1) : old.plusOne());
        if (w.count() <= limit) {
            return Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", String.valueOf(limit));
        headers.put("X-RateLimit-Remaining", "0");
        headers.put("X-RateLimit-Reset", String.valueOf(second + 1));
        return Optional.of(headers);
    }

    private record Window(long second, int count) {
        Window plusOne() {
            return new Window(second, count + 1);
        }
    }
}
