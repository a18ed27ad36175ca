package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunRateLimitException;
import dev.ippools.mailgun.client.MailgunTransportException;
import dev.ippools.mailgun.client.RecordingListener;
import dev.ippools.mailgun.client.WriteGate;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one retry policy: what is retried, how long it waits, and what never is. */
class RetryPolicyTest extends MockMailgun {

    static final NewPool NEW_POOL = new NewPool("senders", "d", List.of("1.2.3.4"));

    static MockResponse dropAfterRequest() {
        return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
    }

    @Test
    void anIoErrorOnAReadIsRetried() {
        enqueue(dropAfterRequest(), json("pools-list.json"));

        assertThat(client().listPools()).hasSize(3);

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(listener.statuses()).containsExactly(-1, 200);
        assertThat(time.sleeps()).singleElement().satisfies(d -> assertBetween(d, 250, 500));
    }

    @Test
    void serverErrorsAreRetriedWithJitteredExponentialBackoffUnderTheCap() {
        enqueue(
                status(500, "bad-request.json"),
                status(502, "bad-request.json"),
                status(503, "bad-request.json"),
                json("pools-list.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(options()
                .retryBaseDelay(Duration.ofMillis(100))
                .retryMaxDelay(Duration.ofMillis(300))
                .build());

        client.listPools();

        assertThat(listener.statuses()).containsExactly(500, 502, 503, 200);
        List<Duration> sleeps = time.sleeps();
        assertThat(sleeps).hasSize(3);
        assertBetween(sleeps.get(0), 50, 100);
        assertBetween(sleeps.get(1), 100, 200);
        assertBetween(sleeps.get(2), 150, 300);
    }

    @Test
    void requestTimeoutIsRetried() {
        enqueue(status(408, "bad-request.json"), json("pools-list.json"));

        client().listPools();

        assertThat(listener.statuses()).containsExactly(408, 200);
    }

    @Test
    void whenRetriesRunOutTheLastAnswerIsThrown() {
        enqueue(status(503, "bad-request.json"), status(503, "bad-request.json"), status(503, "bad-request.json"));
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().maxRetries(2).build());

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client::listPools);

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.isTransient()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void theAnswerIsClosedBeforeRetryingSoTheConnectionIsReused() throws Exception {
        enqueue(status(503, "bad-request.json"), json("pools-list.json"));

        client().listPools();

        assertThat(server.takeRequest().getSequenceNumber()).isZero();
        assertThat(server.takeRequest().getSequenceNumber()).isEqualTo(1);
    }

    @Test
    void aRateLimitedCallWaitsUntilXRateLimitReset() {
        long epoch = time.instant().getEpochSecond();
        enqueue(
                status(429, "too-many-requests.json").setHeader("X-RateLimit-Reset", epoch + 7 + ".25"),
                json("pools-list.json"));

        client().listPools();

        assertThat(listener.statuses()).containsExactly(429, 200);
        assertThat(time.totalSlept()).isEqualTo(Duration.ofMillis(7250));
        assertThat(listener.rateLimitWaits()).containsExactly(Duration.ofMillis(7250));
    }

    @Test
    void xRateLimitResetWinsOverRetryAfter() {
        long epoch = time.instant().getEpochSecond();
        enqueue(
                status(429, "too-many-requests.json")
                        .setHeader("X-RateLimit-Reset", String.valueOf(epoch + 4))
                        .setHeader("Retry-After", "30"),
                json("pools-list.json"));

        client().listPools();

        assertThat(time.totalSlept()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void retryAfterInSecondsIsHonouredWithoutAResetHeader() {
        enqueue(status(429, "too-many-requests.json").setHeader("Retry-After", "3"), json("pools-list.json"));

        client().listPools();

        assertThat(time.totalSlept()).isEqualTo(Duration.ofSeconds(3));
        assertThat(listener.rateLimitWaits()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                time.instant().plusSeconds(5).atOffset(ZoneOffset.UTC));
        enqueue(status(429, "too-many-requests.json").setHeader("Retry-After", date), json("pools-list.json"));

        client().listPools();

        assertThat(time.totalSlept()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRateLimitWithoutHeadersBacksOff() {
        enqueue(status(429, "too-many-requests.json"), json("pools-list.json"));

        client().listPools();

        assertThat(time.sleeps()).singleElement().satisfies(d -> assertBetween(d, 250, 500));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409})
    void permanentErrorsAreNotRetried(int status) {
        enqueue(status(status, "bad-request.json"), json("pools-list.json"));

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client()::listPools);

        assertThat(e.status()).isEqualTo(status);
        assertThat(e.isTransient()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void createIsNotRetriedAfterAReadTimeout() {
        enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE), json("pool-created.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(
                options().readTimeout(Duration.ofMillis(200)).build());

        MailgunTransportException e =
                catchThrowableOfType(MailgunTransportException.class, () -> client.createPool(NEW_POOL));

        assertThat(e.requestMayHaveBeenSent()).isTrue();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.endpoint()).isEqualTo("POST /v3/ip_pools");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void createIsNotRetriedWhenTheConnectionDropsAfterTheRequest() {
        enqueue(dropAfterRequest(), json("pool-created.json"));

        assertThatThrownBy(() -> client().createPool(NEW_POOL)).isInstanceOf(MailgunTransportException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 408, 502, 503, 504})
    void createIsNotRetriedOnAnswersThatMayFollowWork(int status) {
        enqueue(status(status, "bad-request.json"), json("pool-created.json"));

        assertThatThrownBy(() -> client().createPool(NEW_POOL)).isInstanceOf(MailgunApiException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void createIsRetriedWhenMailgunSaysItDidNothing() {
        enqueue(status(429, "too-many-requests.json").setHeader("Retry-After", "1"), json("pool-created.json"));

        assertThat(client().createPool(NEW_POOL).poolId()).isEqualTo("658041ae44842b99ee2eaa1b");
        assertThat(listener.statuses()).containsExactly(429, 200);
    }

    @Test
    void aClosedWriteGateStopsWritesBeforeTheyAreSentAndLeavesReadsAlone() {
        enqueue(status(503, "bad-request.json"), json("pools-list.json"));
        WriteGate gate = WriteGate.open();
        // The first attempt is answered 503; the Lease is lost while the client waits to retry.
        OkHttpMailgunClient client = new OkHttpMailgunClient(options()
                .writeGate(gate)
                .sleeper(d -> gate.close("lost the leader Lease"))
                .build());

        assertThatThrownBy(() -> client.removePoolIp("658041ae44842b99ee2eaa1b", "192.0.2.1"))
                .isInstanceOf(WriteGate.WriteFencedException.class)
                .hasMessageContaining("lost the leader Lease");
        assertThatThrownBy(() -> client.createPool(NEW_POOL)).isInstanceOf(WriteGate.WriteFencedException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(client.listPools()).hasSize(3);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void createIsRetriedWhenTheConnectionIsRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OkHttpMailgunClient client = new OkHttpMailgunClient(
                options().baseUrl("http://127.0.0.1:" + closedPort).build());

        MailgunTransportException e =
                catchThrowableOfType(MailgunTransportException.class, () -> client.createPool(NEW_POOL));

        assertThat(e.requestMayHaveBeenSent()).isFalse();
        assertThat(e.getMessage()).contains("could not reach Mailgun");
        assertThat(listener.statuses()).containsExactly(-1, -1, -1, -1);
    }

    @Test
    void otherWritesAreRetriedAfterAReadTimeout() {
        enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE), json("success.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(
                options().readTimeout(Duration.ofMillis(200)).build());

        client.updatePool("p1", new PoolChange("n", null, null, null, null, null));

        assertThat(listener.statuses()).containsExactly(-1, 200);
    }

    @Test
    void aRateLimitWaitBeyondTheCallTimeoutIsNotStarted() {
        long epoch = time.instant().getEpochSecond();
        enqueue(
                status(429, "too-many-requests.json").setHeader("X-RateLimit-Reset", String.valueOf(epoch + 30)),
                json("pools-list.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(
                options().callTimeout(Duration.ofSeconds(10)).build());

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client::listPools);

        assertThat(e.isRateLimited()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();

        // The bucket stays paused: the next call is not even sent.
        MailgunRateLimitException next = catchThrowableOfType(MailgunRateLimitException.class, client::listPools);
        assertThat(next.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(next.isTransient()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aBackoffBeyondTheCallTimeoutIsNotStarted() {
        enqueue(status(503, "bad-request.json"), json("pools-list.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(options()
                .callTimeout(Duration.ofSeconds(1))
                .retryBaseDelay(Duration.ofSeconds(4))
                .retryMaxDelay(Duration.ofSeconds(4))
                .build());

        assertThatThrownBy(client::listPools).isInstanceOf(MailgunApiException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void zeroRetriesMeansOneAttempt() {
        enqueue(status(503, "bad-request.json"), json("pools-list.json"));
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().maxRetries(0).build());

        assertThatThrownBy(client::listPools).isInstanceOf(MailgunApiException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitOnOneClientMakesEveryClientOfTheAccountWait() {
        AccountRateLimiter shared = AccountRateLimiter.create(1000, 1000, time, time);
        RecordingListener otherListener = new RecordingListener();
        OkHttpMailgunClient first = new OkHttpMailgunClient(
                options().rateLimiter(shared).maxRetries(0).build());
        OkHttpMailgunClient second = new OkHttpMailgunClient(
                options().rateLimiter(shared).listener(otherListener).build());
        long epoch = time.instant().getEpochSecond();
        enqueue(
                status(429, "too-many-requests.json").setHeader("X-RateLimit-Reset", String.valueOf(epoch + 10)),
                json("pools-list.json"));

        assertThatThrownBy(first::listPools).isInstanceOf(MailgunApiException.class);
        second.listPools();

        assertThat(otherListener.rateLimitWaits()).containsExactly(Duration.ofSeconds(10));
        assertThat(otherListener.statuses()).containsExactly(200);
        assertThat(time.totalSlept()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aBucketThatIsNotSharedDoesNotWait() {
        long epoch = time.instant().getEpochSecond();
        OkHttpMailgunClient first =
                new OkHttpMailgunClient(options().maxRetries(0).build());
        OkHttpMailgunClient second = new OkHttpMailgunClient(options()
                .rateLimiter(AccountRateLimiter.create(1000, 1000, time, time))
                .build());
        enqueue(
                status(429, "too-many-requests.json").setHeader("X-RateLimit-Reset", String.valueOf(epoch + 10)),
                json("pools-list.json"));

        assertThatThrownBy(first::listPools).isInstanceOf(MailgunApiException.class);
        second.listPools();

        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void everyAttemptTakesAPermitFromTheBucket() {
        AccountRateLimiter slow = AccountRateLimiter.create(2, 1, time, time);
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().rateLimiter(slow).build());
        enqueue(json("pools-list.json"), json("pools-list.json"), json("pools-list.json"));

        client.listPools();
        client.listPools();
        client.listPools();

        assertThat(listener.rateLimitWaits()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheCall() {
        enqueue(json("pools-list.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(options()
                .listener(new dev.ippools.mailgun.client.MailgunCallListener() {
                    @Override
                    public void onCall(String m, String e, int s, Duration l) {
                        throw new IllegalStateException("metrics broke");
                    }
                })
                .build());

        assertThat(client.listPools()).hasSize(3);
    }

    private static void assertBetween(Duration d, long minMillis, long maxMillis) {
        assertThat(d).isBetween(Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis));
    }
}
