package dev.ippools.mailgun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccountRateLimiterTest {

    final FakeTime time = new FakeTime();

    @Test
    void theBurstIsFreeThenPermitsComeAtTheRate() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(4, 3, time, time);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(null).waited()).isZero();
        }
        AccountRateLimiter.Permit fourth = limiter.acquire(null);

        assertThat(fourth.granted()).isTrue();
        assertThat(fourth.waited()).isEqualTo(Duration.ofMillis(250));
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(250));
    }

    @Test
    void idleTimeRefillsUpToTheBurst() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 2, time, time);
        limiter.acquire(null);
        limiter.acquire(null);

        time.advance(Duration.ofSeconds(60));

        assertThat(limiter.acquire(null).waited()).isZero();
        assertThat(limiter.acquire(null).waited()).isZero();
        assertThat(limiter.acquire(null).waited()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aPauseHoldsEveryoneUntilItEndsThenLetsOneThrough() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 5, time, time);
        limiter.pauseUntil(time.instant().plusSeconds(8));

        assertThat(limiter.pausedUntil()).contains(time.instant().plusSeconds(8));
        AccountRateLimiter.Permit first = limiter.acquire(null);
        AccountRateLimiter.Permit second = limiter.acquire(null);

        assertThat(first.waited()).isEqualTo(Duration.ofSeconds(8));
        assertThat(second.waited()).isEqualTo(Duration.ofMillis(100));
        assertThat(limiter.pausedUntil()).isEmpty();
    }

    @Test
    void aPauseAfterTheBucketRanDryStillLetsOneThroughAtItsEnd() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 1, time, time);
        limiter.acquire(null);

        limiter.pauseUntil(time.instant().plusSeconds(2));

        assertThat(limiter.acquire(null).waited()).isEqualTo(Duration.ofSeconds(2));
        assertThat(limiter.acquire(null).waited()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aShorterPauseDoesNotCutAnEarlierOneShort() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 5, time, time);
        limiter.pauseUntil(time.instant().plusSeconds(8));
        limiter.pauseUntil(time.instant().plusSeconds(2));

        assertThat(limiter.acquire(null).waited()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aPermitBeyondMaxWaitIsRefusedWithoutSleeping() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 5, time, time);
        limiter.pauseUntil(time.instant().plusSeconds(30));

        AccountRateLimiter.Permit permit = limiter.acquire(Duration.ofSeconds(10));

        assertThat(permit.granted()).isFalse();
        assertThat(permit.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(time.sleeps()).isEmpty();
        assertThat(limiter.acquire(Duration.ofSeconds(31)).granted()).isTrue();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> AccountRateLimiter.create(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountRateLimiter.create(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountRateLimiter.create(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallersShareTheRateWithRealTime() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(100, 1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        try {
            List<Future<AccountRateLimiter.Permit>> permits = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                permits.add(pool.submit(() -> limiter.acquire(null)));
            }
            for (Future<AccountRateLimiter.Permit> permit : permits) {
                assertThat(permit.get(5, TimeUnit.SECONDS).granted()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        // One free permit, then seven more at 10 ms each.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(65));
    }

    @Test
    void spareCapacityGoesAsSoonAsAPermitIsThereWhenNobodyWaits() throws Exception {
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 1, time, time);
        limiter.acquire(null);

        limiter.awaitSpare(time.instant().plusSeconds(60));

        assertThat(time.totalSlept()).isEqualTo(Duration.ofMillis(100));
        // Nothing was taken: the next caller gets the permit the batcher waited for.
        assertThat(limiter.acquire(null).waited()).isZero();
    }

    @Test
    void deferrableWorkWaitingForAPermitDoesNotHoldBackOtherDeferrableWork() throws Exception {
        CountDownLatch batchCallAsleep = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Sleeper sleeper = d -> {
            if (Thread.currentThread() == main) {
                time.sleep(d);
            } else {
                batchCallAsleep.countDown();
                wake.await();
            }
        };
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 1, time, sleeper);
        limiter.acquire(null);
        ExecutorService batcher = Executors.newSingleThreadExecutor();
        try {
            batcher.submit(() -> {
                try {
                    limiter.acquire(null, true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(batchCallAsleep.await(5, TimeUnit.SECONDS)).isTrue();
            Instant start = time.instant();

            limiter.awaitSpare(start.plusSeconds(5));

            assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofMillis(100));
        } finally {
            wake.countDown();
            batcher.shutdownNow();
        }
    }

    @Test
    void spareCapacityLeavesPermitsToWaitingCallersUntilItsLatest() throws Exception {
        CountDownLatch foregroundAsleep = new CountDownLatch(1);
        CountDownLatch wakeForeground = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        // The foreground caller stays asleep (waiting for its permit) until told; others move time.
        Sleeper sleeper = d -> {
            if (Thread.currentThread() == main) {
                time.sleep(d);
            } else {
                foregroundAsleep.countDown();
                wakeForeground.await();
            }
        };
        AccountRateLimiter limiter = AccountRateLimiter.create(10, 1, time, sleeper);
        limiter.acquire(null);
        ExecutorService foreground = Executors.newSingleThreadExecutor();
        try {
            Future<AccountRateLimiter.Permit> waiting = foreground.submit(() -> limiter.acquire(null));
            assertThat(foregroundAsleep.await(5, TimeUnit.SECONDS)).isTrue();
            Instant start = time.instant();

            limiter.awaitSpare(start.plusSeconds(5));

            assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofSeconds(5));
            wakeForeground.countDown();
            assertThat(waiting.get(5, TimeUnit.SECONDS).granted()).isTrue();
        } finally {
            wakeForeground.countDown();
            foreground.shutdownNow();
        }
    }
}
