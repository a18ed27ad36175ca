package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.FakeTime;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunRateLimitException;
import dev.ippools.mailgun.client.RecordingListener;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Emulator faults end to end: the client retries within its budget, a 429 pauses the account's
 * shared rate limiter, persistent failures end as transient errors, and a create is repeated only
 * when Mailgun surely did nothing.
 *
 * <p>Rate-limit tests run the emulator and the client on one {@link FakeTime}: Mailgun's {@code
 * X-RateLimit-Reset} is read against the same clock and the waits cost no real time.
 */
class TroubleContractTest extends ContractSupport {

    private static final String POOLS = "^/v3/ip_pools$";
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final FakeTime time = new FakeTime(START);

    @Override
    EmulatorConfig emulatorConfig(AccountFixture fixture) {
        return super.emulatorConfig(fixture).withClock(time);
    }

    /** A client on fake time, sharing {@code limiter}. */
    private MailgunClient fakeTimeClient(AccountRateLimiter limiter, int maxRetries, RecordingListener calls) {
        return OkHttpMailgunClient.create(clientOptions()
                .clock(time)
                .sleeper(time)
                .rateLimiter(limiter)
                .maxRetries(maxRetries)
                .listener(calls)
                .build());
    }

    private AccountRateLimiter fakeTimeLimiter() {
        return AccountRateLimiter.create(1000, 1000, time, time);
    }

    @Test
    void serverErrorsAreRetriedUntilAnAnswerComes() {
        emulator.faults().add(Fault.status("GET", POOLS, 503).withCount(2));

        assertThat(client.listPools()).hasSize(1);

        assertThat(calls()).containsExactly("GET /v3/ip_pools 503", "GET /v3/ip_pools 503", "GET /v3/ip_pools 200");
        assertThat(listener.statuses()).containsExactly(503, 503, 200);
        assertThat(emulator.faults().list()).isEmpty();
    }

    @Test
    void aRepeatableWriteIsRetriedAndAppliedOnce() {
        emulator.faults().add(Fault.status("PUT", "/ips/", 500).withCount(1));

        assertThat(client.addPoolIp(LEGACY_POOL, IP13).started()).isTrue();

        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP16, IP17, IP13);
        assertThat(calls())
                .containsExactly("PUT /v3/ip_pools/{pool_id}/ips/{ip} 500", "PUT /v3/ip_pools/{pool_id}/ips/{ip} 200");
    }

    @Test
    void aPersistentServerErrorEndsAsATransientErrorAfterMaxRetries() {
        emulator.faults().add(Fault.status("GET", "^/v3/ips$", 502));

        try (MailgunClient twoRetries =
                OkHttpMailgunClient.create(clientOptions().maxRetries(2).build())) {
            MailgunApiException error = apiError(() -> twoRetries.listIps(true, null));

            assertThat(error.status()).isEqualTo(502);
            assertThat(error.isTransient()).isTrue();
            assertThat(error.mailgunMessage()).isEqualTo("Bad Gateway");
            assertThat(error.endpoint()).isEqualTo("GET /v3/ips");
        }
        assertThat(calls()).containsExactly("GET /v3/ips 502", "GET /v3/ips 502", "GET /v3/ips 502");
    }

    @Test
    void aCreateAnswered503AfterMailgunMadeThePoolIsNotRepeated() {
        // A gateway's 503 can come after Mailgun committed the create: posting again would make a
        // second pool, so the client leaves the lookup to its caller.
        emulator.faults().add(Fault.status("POST", POOLS, 503).afterCommit().withCount(1));

        MailgunApiException error = apiError(() -> client.createPool(new NewPool("once", "d", List.of(IP13))));

        assertThat(error.status()).isEqualTo(503);
        assertThat(calls()).containsExactly("POST /v3/ip_pools 503");
        assertThat(state().pools()).filteredOn(p -> p.name().equals("once")).hasSize(1);
    }

    @Test
    void aCreateAnswered500IsNotRepeated() {
        // A 500 may come after Mailgun acted; only a lookup can tell, so the client must not post
        // again.
        emulator.faults().add(Fault.status("POST", POOLS, 500).withCount(1));

        MailgunApiException error = apiError(() -> client.createPool(new NewPool("maybe", "d", List.of(IP13))));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.isTransient()).isTrue();
        assertThat(calls()).containsExactly("POST /v3/ip_pools 500");
        assertThat(state().pools()).extracting(p -> p.name()).doesNotContain("maybe");
    }

    @Test
    void a429WaitsUntilMailgunsResetTimeAndThenSucceeds() {
        emulator.faults().add(Fault.status("GET", POOLS, 429).withCount(1).withResetAfterSeconds(2));
        RecordingListener calls = new RecordingListener();

        try (MailgunClient onFakeTime = fakeTimeClient(fakeTimeLimiter(), 3, calls)) {
            assertThat(onFakeTime.listPools()).hasSize(1);
        }

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2));
        assertThat(calls.statuses()).containsExactly(429, 200);
        List<JournalEntry> journal = emulator.journal().entries();
        assertThat(journal).extracting(JournalEntry::status).containsExactly(429, 200);
        assertThat(journal.get(1).timestamp()).isEqualTo(START.plusSeconds(2));
    }

    @Test
    void a429PausesTheSharedLimiterForEveryClientOfTheAccount() {
        emulator.faults().add(Fault.status("GET", POOLS, 429).withCount(1).withResetAfterSeconds(3));
        AccountRateLimiter shared = fakeTimeLimiter();
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();

        try (MailgunClient refused = fakeTimeClient(shared, 0, first);
                MailgunClient other = fakeTimeClient(shared, 0, second)) {
            MailgunApiException error = apiError(refused::listPools);
            assertThat(error.status()).isEqualTo(429);
            assertThat(error.isTransient()).isTrue();
            assertThat(error.isRateLimited()).isTrue();
            assertThat(error.retryAfter()).contains(Duration.ofSeconds(3));
            assertThat(shared.pausedUntil()).contains(START.plusSeconds(3));

            // The other client was never refused, yet waits for the account's reset before sending.
            assertThat(other.listIps(null, null).items()).hasSize(9);
        }

        assertThat(second.rateLimitWaits()).containsExactly(Duration.ofSeconds(3));
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
        assertThat(emulator.journal().entries())
                .extracting(e -> e.endpoint() + " " + e.status() + " at " + e.timestamp())
                .containsExactly("GET /v3/ip_pools 429 at " + START, "GET /v3/ips 200 at " + START.plusSeconds(3));
    }

    @Test
    void aClientOfAPausedAccountSendsNothingWhenThePauseOutlastsItsBudget() {
        emulator.faults().add(Fault.status("GET", POOLS, 429).withCount(1).withResetAfterSeconds(30));
        AccountRateLimiter shared = fakeTimeLimiter();

        try (MailgunClient refused = fakeTimeClient(shared, 0, new RecordingListener());
                MailgunClient other = fakeTimeClient(shared, 3, new RecordingListener())) {
            apiError(refused::listPools);
            MailgunRateLimitException held =
                    catchThrowableOfType(MailgunRateLimitException.class, () -> other.listIps(null, null));

            assertThat(held.isTransient()).isTrue();
            assertThat(held.retryAfter()).contains(Duration.ofSeconds(30));
            assertThat(held.endpoint()).isEqualTo("GET /v3/ips");
        }
        assertThat(calls()).containsExactly("GET /v3/ip_pools 429");
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void a429OnCreateIsRepeatedBecauseMailgunDidNothing() {
        emulator.faults().add(Fault.status("POST", POOLS, 429).withCount(1).withResetAfterSeconds(1));

        try (MailgunClient onFakeTime = fakeTimeClient(fakeTimeLimiter(), 3, new RecordingListener())) {
            onFakeTime.createPool(new NewPool("once", "d", List.of(IP13)));
        }

        assertThat(state().pools()).filteredOn(p -> p.name().equals("once")).hasSize(1);
        assertThat(calls()).containsExactly("POST /v3/ip_pools 429", "POST /v3/ip_pools 200");
    }

    @Test
    void endless429sEndAsATransientRateLimitError() {
        emulator.faults().add(Fault.status("PATCH", "/v3/ip_pools/", 429).withResetAfterSeconds(1));
        RecordingListener calls = new RecordingListener();

        try (MailgunClient onFakeTime = fakeTimeClient(fakeTimeLimiter(), 2, calls)) {
            MailgunApiException error = apiError(
                    () -> onFakeTime.updatePool(LEGACY_POOL, new PoolChange("renamed", null, null, null, null, null)));
            assertThat(error.status()).isEqualTo(429);
            assertThat(error.isTransient()).isTrue();
            assertThat(error.mailgunMessage()).isEqualTo("Too Many Requests");
        }

        assertThat(calls.statuses()).containsExactly(429, 429, 429);
        assertThat(time.totalSlept()).isEqualTo(Duration.ofSeconds(2));
        assertThat(pool(LEGACY_POOL).name()).isEqualTo("legacy-transactional");
    }

    @Test
    void aResetBeyondTheCallTimeoutIsNotWaitedFor() {
        emulator.faults().add(Fault.status("GET", POOLS, 429).withCount(1).withResetAfterSeconds(30));

        try (MailgunClient onFakeTime = fakeTimeClient(fakeTimeLimiter(), 3, new RecordingListener())) {
            MailgunApiException error = apiError(onFakeTime::listPools);

            assertThat(error.status()).isEqualTo(429);
            assertThat(error.retryAfter()).contains(Duration.ofSeconds(30));
        }
        // The 10 s call timeout is the budget: the caller learns at once when to come back.
        assertThat(time.sleeps()).isEmpty();
        assertThat(calls()).containsExactly("GET /v3/ip_pools 429");
    }

    @Test
    void latencyWithinTheTimeoutOnlySlowsTheCall() {
        emulator.faults().add(Fault.latency("GET", POOLS, 150).withCount(1));

        assertThat(client.listPools()).hasSize(1);

        assertThat(listener.calls())
                .singleElement()
                .satisfies(call -> assertThat(call.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(150)));
        assertThat(calls()).containsExactly("GET /v3/ip_pools 200");
    }

    @Test
    void latencyBeyondTheReadTimeoutIsRetried() {
        emulator.faults().add(Fault.latency("GET", POOLS, 1000).withCount(1));

        try (MailgunClient impatient = OkHttpMailgunClient.create(
                clientOptions().readTimeout(Duration.ofMillis(250)).build())) {
            assertThat(impatient.listPools()).hasSize(1);
        }

        assertThat(listener.statuses()).containsExactly(-1, 200);
        // The emulator still answers the abandoned request, once its latency has passed.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(calls()).containsExactly("GET /v3/ip_pools 200", "GET /v3/ip_pools 200"));
    }
}
