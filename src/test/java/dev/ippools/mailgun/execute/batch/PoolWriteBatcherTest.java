package dev.ippools.mailgun.execute.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.emulator.MutableClock;
import dev.ippools.mailgun.execute.batch.PoolWriteBatcher.State;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching writer on a clock the test moves: when a pool's call goes out (linger, sibling
 * wait, deferral to other callers), how many go out at once, and that close stops it.
 */
class PoolWriteBatcherTest {

    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final Duration RECHECK = Duration.ofMillis(1);
    /** Long enough for the flusher to act if it were going to. */
    private static final long QUIET_MS = 150;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Patch> patches = new CopyOnWriteArrayList<>();
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch patchesMayReturn = new CountDownLatch(0);
    private PoolWriteBatcher batcher;

    private record Patch(String poolId, List<String> domainIds) {}

    @AfterEach
    void close() {
        patchesMayReturn.countDown();
        if (batcher != null) {
            batcher.close();
        }
    }

    @Test
    void aPoolsLinksLingerTogetherAndGoOutAsOnePatch() throws Exception {
        batcher = batcher(fastLimiter());
        batcher.link("pool-1", "id-a", "a.example.com", false);
        batcher.link("pool-1", "id-b", "b.example.com", false);

        Thread.sleep(QUIET_MS);
        assertThat(patches).isEmpty();

        clock.advance(LINGER);
        await().atMost(5, TimeUnit.SECONDS).until(() -> patches.size() == 1);
        assertThat(patches.get(0)).isEqualTo(new Patch("pool-1", List.of("id-a", "id-b")));
        await().atMost(5, TimeUnit.SECONDS).until(() -> settled.containsAll(Set.of("a.example.com", "b.example.com")));
        assertThat(batcher.ticket("a.example.com").orElseThrow().state()).isEqualTo(State.ACCEPTED);
    }

    @Test
    void aPoolHasAcceptedLinksUntilTheirTicketsAreForgottenOrMoveToAnotherPool() throws Exception {
        batcher = batcher(fastLimiter());
        batcher.link("pool-1", "id-a", "a.example.com", false);
        batcher.link("pool-1", "id-b", "b.example.com", false);
        assertThat(batcher.hasAccepted("pool-1")).as("queued, not answered").isFalse();

        clock.advance(LINGER);
        await().atMost(5, TimeUnit.SECONDS).until(() -> batcher.hasAccepted("pool-1"));
        assertThat(batcher.hasAccepted("pool-2")).isFalse();

        batcher.forget("a.example.com");
        assertThat(batcher.hasAccepted("pool-1"))
                .as("b's ticket is still accepted")
                .isTrue();
        batcher.link("pool-2", "id-b", "b.example.com", false);
        assertThat(batcher.hasAccepted("pool-1")).as("b now waits for pool-2").isFalse();
        assertThat(batcher.hasAccepted("pool-2")).isFalse();
    }

    @Test
    void aLinkAlreadyQueuedIsNotQueuedTwice() {
        batcher = batcher(fastLimiter());
        PoolWriteBatcher.Ticket first = batcher.link("pool-1", "id-a", "a.example.com", false);

        assertThat(batcher.link("pool-1", "id-a", "A.example.com", false)).isSameAs(first);
        assertThat(batcher.queuedPools()).isEqualTo(1);
    }

    @Test
    void underBackpressureThePoolLeavesPermitsToOtherCallersUntilItsDeferralEnds() throws Exception {
        CountDownLatch otherCallerAsleep = new CountDownLatch(1);
        CountDownLatch wakeOtherCaller = new CountDownLatch(1);
        Thread test = Thread.currentThread();
        Thread[] other = new Thread[1];
        AccountRateLimiter limiter = AccountRateLimiter.create(1, 1, clock, d -> {
            if (Thread.currentThread() == other[0]) {
                otherCallerAsleep.countDown();
                wakeOtherCaller.await();
            } else if (Thread.currentThread() != test) {
                Thread.sleep(1); // the flusher: the moved clock decides, read again soon
            }
        });
        limiter.acquire(null);
        other[0] = new Thread(() -> {
            try {
                limiter.acquire(null); // another call of the account, waiting for a permit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other[0].setDaemon(true);
        other[0].start();
        assertThat(otherCallerAsleep.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            batcher = batcher(limiter);
            batcher.link("pool-1", "id-a", "a.example.com", false);

            clock.advance(LINGER.plusSeconds(5));
            Thread.sleep(QUIET_MS);
            assertThat(patches).as("deferred while another call waits").isEmpty();

            clock.advance(PoolWriteBatcher.BACKPRESSURE_DEFER);
            await().atMost(5, TimeUnit.SECONDS).until(() -> patches.size() == 1);
        } finally {
            wakeOtherCaller.countDown();
        }
    }

    @Test
    void atMostTheInFlightLimitOfCallsAreOutAtOnce() throws Exception {
        patchesMayReturn = new CountDownLatch(1);
        batcher = batcher(fastLimiter());
        for (int p = 1; p <= PoolWriteBatcher.IN_FLIGHT + 1; p++) {
            batcher.link("pool-" + p, "id-" + p, "d" + p + ".example.com", false);
        }

        clock.advance(LINGER);
        await().atMost(5, TimeUnit.SECONDS).until(() -> patches.size() == PoolWriteBatcher.IN_FLIGHT);
        Thread.sleep(QUIET_MS);
        assertThat(patches).hasSize(PoolWriteBatcher.IN_FLIGHT);

        patchesMayReturn.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> patches.size() == PoolWriteBatcher.IN_FLIGHT + 1);
    }

    @Test
    void afterCloseNothingGoesOut() throws Exception {
        batcher = batcher(fastLimiter());
        batcher.link("pool-1", "id-a", "a.example.com", false);

        batcher.close();
        clock.advance(LINGER.multipliedBy(10));
        Thread.sleep(QUIET_MS);

        assertThat(patches).isEmpty();
        assertThat(batcher.ticket("a.example.com").orElseThrow().state()).isEqualTo(State.QUEUED);
    }

    private AccountRateLimiter fastLimiter() {
        return AccountRateLimiter.create(1000, 1000, clock, d -> Thread.sleep(1));
    }

    private PoolWriteBatcher batcher(AccountRateLimiter limiter) {
        return new PoolWriteBatcher(
                recordingClient(limiter), limiter, clock, LINGER, settled::addAll, (poolId, client) -> {}, RECHECK);
    }

    /** Records each PATCH; {@link #patchesMayReturn} holds its answer back. */
    private MailgunClient recordingClient(AccountRateLimiter limiter) {
        return (MailgunClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {MailgunClient.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "deferrable":
                            return proxy;
                        case "rateLimiter":
                            return limiter;
                        case "updatePool":
                            patches.add(new Patch((String) args[0], ((PoolChange) args[1]).linkDomains()));
                            patchesMayReturn.await();
                            return new MailgunResponse("started", null);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
