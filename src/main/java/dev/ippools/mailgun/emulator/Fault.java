package dev.ippools.mailgun.emulator;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A fault to inject into matching API calls: a status (429 or 5xx), added latency, or both.
 *
 * @param method HTTP method to match, or null for any
 * @param pathPattern regular expression searched for in the raw path ({@code find}, not a full
 *     match); null matches every path
 * @param status status to answer instead of handling the call, or null to only add latency
 * @param rate probability in [0, 1] that a matching call is hit (default 1)
 * @param count how many calls to hit at most, or null for no limit
 * @param latencyMs delay before answering, in milliseconds (default 0)
 * @param resetAfterSeconds for 429: seconds until {@code X-RateLimit-Reset} (default 1)
 */
public record Fault(
    String method,
    String pathPattern,
    Integer status,
    Double rate,
    Integer count,
    Long latencyMs,
    Long resetAfterSeconds) {

  public Fault {
    pathPattern = pathPattern == null || pathPattern.isEmpty() ? ".*" : pathPattern;
    rate = rate == null ? 1.0 : rate;
    latencyMs = latencyMs == null ? 0L : latencyMs;
    resetAfterSeconds = resetAfterSeconds == null ? 1L : resetAfterSeconds;
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
    if (status == null && latencyMs == 0) {
      throw new IllegalArgumentException("a fault needs a status, a latency, or both");
    }
  }

  /** Answers {@code status} to every call whose method and path match. */
  public static Fault status(String method, String pathPattern, int status) {
    return new Fault(method, pathPattern, status, null, null, null, null);
  }

  /** Delays every matching call by {@code latencyMs} and then handles it normally. */
  public static Fault latency(String method, String pathPattern, long latencyMs) {
    return new Fault(method, pathPattern, null, null, null, latencyMs, null);
  }

  public Fault withRate(double value) {
    return new Fault(method, pathPattern, status, value, count, latencyMs, resetAfterSeconds);
  }

  public Fault withCount(int value) {
    return new Fault(method, pathPattern, status, rate, value, latencyMs, resetAfterSeconds);
  }

  public Fault withLatencyMs(long value) {
    return new Fault(method, pathPattern, status, rate, count, value, resetAfterSeconds);
  }

  public Fault withResetAfterSeconds(long value) {
    return new Fault(method, pathPattern, status, rate, count, latencyMs, value);
  }
}
