package dev.ippools.mailgun.client.http;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.MailgunRateLimitException;
import dev.ippools.mailgun.client.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's only retry policy, as one application interceptor (okhttp's own
 * retryOnConnectionFailure is off). Hand-written rather than Failsafe because every attempt must
 * first take a permit from the shared {@link AccountRateLimiter}, a 429 must pause that bucket for
 * all callers, waits must go through the injectable clock and sleeper, and whether a create may be
 * repeated depends on whether the request reached a connection, which only okhttp knows.
 *
 * <p>Transient: I/O errors, 408, 429, 5xx. Waits: jittered exponential backoff capped at {@code
 * retryMaxDelay}; for 429 Mailgun's reset time. No wait starts that would end after the call
 * timeout; the last answer or error is returned instead.
 */
final class RetryInterceptor implements Interceptor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);

    private final AccountRateLimiter limiter;
    private final MailgunCallListener listener;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration callTimeout;

    RetryInterceptor(MailgunClientOptions options) {
        this.limiter = options.rateLimiter();
        this.listener = options.listener();
        this.clock = options.clock();
        this.sleeper = options.sleeper();
        this.maxRetries = options.maxRetries();
        this.baseDelay = options.retryBaseDelay();
        this.maxDelay = options.retryMaxDelay();
        this.callTimeout = options.callTimeout();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Endpoint endpoint = request.tag(Endpoint.class);
        CallTrace trace = request.tag(CallTrace.class);
        if (endpoint == null || trace == null) {
            return chain.proceed(request);
        }
        Instant deadline = callTimeout.isZero() ? null : clock.instant().plus(callTimeout);
        for (int attempt = 0; ; attempt++) {
            takePermit(endpoint, deadline, request.tag(DeferrableWork.class) != null);
            trace.startAttempt();
            long started = System.nanoTime();
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                report(endpoint, -1, started);
                boolean repeatable = endpoint.safeToRepeat() || !trace.requestMayHaveBeenSent();
                Duration delay = backoff(attempt);
                if (chain.call().isCanceled()
                        || attempt >= maxRetries
                        || !repeatable
                        || !fitsBeforeDeadline(delay, deadline)) {
                    throw e;
                }
                LOG.debug("{} failed ({}), retry {} in {} ms", endpoint, e, attempt + 1, delay.toMillis());
                sleep(delay);
                continue;
            }
            int status = response.code();
            report(endpoint, status, started);
            Duration wait;
            if (status == 429) {
                Instant now = clock.instant();
                Instant resume = RateLimitHeaders.resetTime(response, now).orElse(now.plus(backoff(attempt)));
                // Every caller of the account waits, retrying or not; the next permit does the waiting.
                limiter.pauseUntil(resume);
                wait = RateLimitHeaders.until(now, resume);
            } else {
                wait = backoff(attempt);
            }
            if (attempt >= maxRetries || !endpoint.retriesOn(status) || !fitsBeforeDeadline(wait, deadline)) {
                return response;
            }
            response.close();
            LOG.debug("{} answered {}, retry {} in {} ms", endpoint, status, attempt + 1, wait.toMillis());
            if (status != 429) {
                sleep(wait);
            }
        }
    }

    private void takePermit(Endpoint endpoint, Instant deadline, boolean deferrable) throws IOException {
        Duration maxWait = deadline == null ? null : RateLimitHeaders.until(clock.instant(), deadline);
        AccountRateLimiter.Permit permit;
        try {
            permit = limiter.acquire(maxWait, deferrable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a rate-limit permit");
        }
        if (!permit.waited().isZero()) {
            try {
                listener.onRateLimitWait(permit.waited());
            } catch (RuntimeException e) {
                LOG.warn("Mailgun call listener failed in onRateLimitWait", e);
            }
        }
        if (!permit.granted()) {
            throw new MailgunRateLimitException(endpoint.method(), endpoint.toString(), permit.retryAfter());
        }
    }

    /** Equal jitter: half the capped exponential delay is fixed, the other half random. */
    private Duration backoff(int attempt) {
        double exponential = baseDelay.toNanos() * Math.pow(2, Math.min(attempt, 62));
        long capped = (long) Math.min(exponential, maxDelay.toNanos());
        long half = capped / 2;
        long jitter = half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1);
        return Duration.ofNanos(capped - half + jitter);
    }

    private boolean fitsBeforeDeadline(Duration wait, Instant deadline) {
        return deadline == null || clock.instant().plus(wait).isBefore(deadline);
    }

    private void sleep(Duration delay) throws InterruptedIOException {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    private void report(Endpoint endpoint, int status, long startedNanos) {
        try {
            listener.onCall(
                    endpoint.method(), endpoint.toString(), status, Duration.ofNanos(System.nanoTime() - startedNanos));
        } catch (RuntimeException e) {
            LOG.warn("Mailgun call listener failed in onCall", e);
        }
    }

    /** Network interceptor: reaching it means a connection exists and the request is being sent. */
    static final class MarkSent implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            CallTrace trace = chain.request().tag(CallTrace.class);
            if (trace != null) {
                trace.markSent();
            }
            return chain.proceed(chain.request());
        }
    }
}
