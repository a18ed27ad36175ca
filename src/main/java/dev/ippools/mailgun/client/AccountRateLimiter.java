package dev.ippools.mailgun.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Token bucket for one Mailgun account, shared by every client of that account (including the
 * {@link MailgunClient#onBehalfOf} views): each HTTP attempt takes a permit first. A 429 pauses the
 * whole bucket until Mailgun's reset time, so every caller of the account waits, not only the one
 * that was refused.
 */
public final class AccountRateLimiter {

    /** Outcome of {@link #acquire}: a permit, or how long until one would have been available. */
    public record Permit(boolean granted, Duration waited, Duration retryAfter) {}

    /** How often deferred work looks again while the account is busy and permits are there. */
    static final Duration SPARE_RECHECK = Duration.ofMillis(50);

    private final double permitsPerSecond;
    private final int burst;
    private final Clock clock;
    private final Sleeper sleeper;

    private double tokens;
    private Instant lastRefill;
    private Instant pausedUntil = Instant.MIN;
    // Callers of acquire() for other than deferrable work sleeping for a permit: while there are
    // some, the account is busy.
    private int waiting;

    private AccountRateLimiter(double permitsPerSecond, int burst, Clock clock, Sleeper sleeper) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be a positive number");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.permitsPerSecond = permitsPerSecond;
        this.burst = burst;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.tokens = burst;
        this.lastRefill = clock.instant();
    }

    /** A bucket that refills {@code permitsPerSecond} and holds at most {@code burst} permits. */
    public static AccountRateLimiter create(double permitsPerSecond, int burst) {
        return new AccountRateLimiter(permitsPerSecond, burst, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** As {@link #create(double, int)} with explicit time, for tests. */
    public static AccountRateLimiter create(double permitsPerSecond, int burst, Clock clock, Sleeper sleeper) {
        return new AccountRateLimiter(permitsPerSecond, burst, clock, sleeper);
    }

    /**
     * Takes one permit, sleeping while the bucket is empty or paused. Gives up without sleeping when
     * the next permit lies beyond {@code maxWait} (null: wait as long as needed).
     */
    public Permit acquire(Duration maxWait) throws InterruptedException {
        return acquire(maxWait, false);
    }

    /**
     * As {@link #acquire(Duration)}; a {@code deferrable} caller (a batcher's own call) does not
     * count as another caller to {@link #awaitSpare}, so it never holds back its own next batch.
     */
    public Permit acquire(Duration maxWait, boolean deferrable) throws InterruptedException {
        Instant start = clock.instant();
        boolean counted = false;
        try {
            while (true) {
                Instant now = clock.instant();
                Duration needed = takeOrTimeToNext(now);
                Duration waited = nonNegative(Duration.between(start, now));
                if (needed.isZero()) {
                    return new Permit(true, waited, Duration.ZERO);
                }
                if (maxWait != null && waited.plus(needed).compareTo(maxWait) > 0) {
                    return new Permit(false, waited, needed);
                }
                if (!counted && !deferrable) {
                    changeWaiting(1);
                    counted = true;
                }
                sleeper.sleep(needed);
            }
        } finally {
            if (counted) {
                changeWaiting(-1);
            }
        }
    }

    /**
     * Sleeps until a permit could be taken, without taking it: a batcher waits here, then builds its
     * call from everything queued meanwhile, as late as possible. Until {@code latest} it also
     * leaves the permits to callers of {@link #acquire} waiting for them: deferrable work goes in
     * the account's spare capacity, so under backpressure it waits and merges more.
     */
    public void awaitSpare(Instant latest) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            Duration needed;
            boolean busy;
            synchronized (this) {
                needed = timeToNext(now);
                busy = waiting > 0 && now.isBefore(latest);
            }
            if (needed.isZero() && !busy) {
                return;
            }
            Duration sleep = needed.isZero() ? SPARE_RECHECK : needed;
            if (busy) {
                Duration untilLatest = Duration.between(now, latest);
                sleep = sleep.compareTo(untilLatest) < 0 ? sleep : untilLatest;
            }
            sleeper.sleep(sleep.isZero() ? Duration.ofNanos(1) : sleep);
        }
    }

    private synchronized void changeWaiting(int delta) {
        waiting += delta;
    }

    private synchronized Duration timeToNext(Instant now) {
        refill(now);
        if (now.isBefore(pausedUntil)) {
            return Duration.between(now, pausedUntil);
        }
        if (tokens >= 1) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(1, (long) Math.ceil((1 - tokens) / permitsPerSecond * 1e9)));
    }

    /** Stops handing out permits until {@code until}; later pauses never shorten an earlier one. */
    public synchronized void pauseUntil(Instant until) {
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
            // Mailgun's reset opens a new window: exactly one call goes straight through when the pause
            // ends, even if the bucket had run dry (as it has after a retried 429); the rest follow at
            // the normal rate.
            tokens = 1;
        } else {
            tokens = Math.min(tokens, 1);
        }
    }

    /** The end of the current pause, if the bucket is paused now. */
    public synchronized Optional<Instant> pausedUntil() {
        return clock.instant().isBefore(pausedUntil) ? Optional.of(pausedUntil) : Optional.empty();
    }

    public double permitsPerSecond() {
        return permitsPerSecond;
    }

    public int burst() {
        return burst;
    }

    private synchronized Duration takeOrTimeToNext(Instant now) {
        refill(now);
        if (now.isBefore(pausedUntil)) {
            return Duration.between(now, pausedUntil);
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        long nanos = (long) Math.ceil((1 - tokens) / permitsPerSecond * 1e9);
        return Duration.ofNanos(Math.max(1, nanos));
    }

    private void refill(Instant now) {
        // No refill while paused: the pause is time Mailgun told us not to spend.
        Instant from = lastRefill.isAfter(pausedUntil) ? lastRefill : pausedUntil;
        if (now.isAfter(from)) {
            double seconds = Duration.between(from, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + seconds * permitsPerSecond);
        }
        if (now.isAfter(lastRefill)) {
            lastRefill = now;
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public String toString() {
        return "AccountRateLimiter{permitsPerSecond=" + permitsPerSecond + ", burst=" + burst + "}";
    }
}
