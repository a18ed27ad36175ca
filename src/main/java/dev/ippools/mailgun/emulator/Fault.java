package dev.ippools.mailgun.emulator;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A fault to inject into matching API calls: a status (429 or 5xx), added latency, a dropped
 * connection, or latency with one of the other two. By default the fault hits before the call is
 * handled (Mailgun did nothing); with {@code afterProcessing} the call is handled and committed
 * first, so a client sees a timeout, a 5xx or a reset for a change that did happen.
 *
 * @param method HTTP method to match, or null for any
 * @param pathPattern regular expression searched for in the raw path ({@code find}, not a full
 *     match); null matches every path
 * @param status status to answer instead of handling the call, or null to only add latency
 * @param rate probability in [0, 1] that a matching call is hit (default 1)
 * @param count how many calls to hit at most, or null for no limit
 * @param latencyMs delay before answering, in milliseconds (default 0)
 * @param resetAfterSeconds for 429: seconds until {@code X-RateLimit-Reset} (default 1)
 * @param afterProcessing handle (and commit) the call first, then delay and answer the fault
 * @param reset close the connection without any answer (instead of a status)
 */
public record Fault(
        String method,
        String pathPattern,
        Integer status,
        Double rate,
        Integer count,
        Long latencyMs,
        Long resetAfterSeconds,
        Boolean afterProcessing,
        Boolean reset) {

    public Fault {
        pathPattern = pathPattern == null || pathPattern.isEmpty() ? ".*" : pathPattern;
        rate = rate == null ? 1.0 : rate;
        latencyMs = latencyMs == null ? 0L : latencyMs;
        resetAfterSeconds = resetAfterSeconds == null ? 1L : resetAfterSeconds;
        afterProcessing = afterProcessing != null && afterProcessing;
        reset = reset != null && reset;
        try {
            Pattern.compile(pathPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pathPattern is not a valid regular expression", e);
        }
        if (status != null && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be a 4xx or 5xx code");
        }
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1");
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        if (latencyMs < 0 || resetAfterSeconds < 0) {
            throw new IllegalArgumentException("latencyMs and resetAfterSeconds must not be negative");
        }
        if (status != null && reset) {
            throw new IllegalArgumentException("a fault answers a status or resets, not both");
        }
        if (status == null && latencyMs == 0 && !reset) {
            throw new IllegalArgumentException("a fault needs a status, a latency or a reset");
        }
    }

    /** Answers {@code status} to every call whose method and path match. */
    public static Fault status(String method, String pathPattern, int status) {
        return new Fault(method, pathPattern, status, null, null, null, null, null, null);
    }

    /** Delays every matching call by {@code latencyMs} and then handles it normally. */
    public static Fault latency(String method, String pathPattern, long latencyMs) {
        return new Fault(method, pathPattern, null, null, null, latencyMs, null, null, null);
    }

    /** Closes the connection of every matching call without answering. */
    public static Fault connectionReset(String method, String pathPattern) {
        return new Fault(method, pathPattern, null, null, null, null, null, null, true);
    }

    /** The same fault, hitting after the call was handled and its change committed. */
    public Fault afterCommit() {
        return new Fault(method, pathPattern, status, rate, count, latencyMs, resetAfterSeconds, true, reset);
    }

    public Fault withRate(double value) {
        return new Fault(
                method, pathPattern, status, value, count, latencyMs, resetAfterSeconds, afterProcessing, reset);
    }

    public Fault withCount(int value) {
        return new Fault(
                method, pathPattern, status, rate, value, latencyMs, resetAfterSeconds, afterProcessing, reset);
    }

    public Fault withLatencyMs(long value) {
        return new Fault(method, pathPattern, status, rate, count, value, resetAfterSeconds, afterProcessing, reset);
    }

    public Fault withResetAfterSeconds(long value) {
        return new Fault(method, pathPattern, status, rate, count, latencyMs, value, afterProcessing, reset);
    }
}
