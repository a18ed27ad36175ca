package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.RecordingListener;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.EmulatorSnapshot;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The project's okhttp {@link MailgunClient} against an in-process {@link MailgunEmulator} over
 * real HTTP: one emulator on a free port per test, loaded from the sample fixture unless a test
 * restarts it with its own, and a client with short retry delays so the whole suite stays fast.
 */
abstract class ContractSupport {

    static final Path SAMPLE_FIXTURE = Path.of("config/samples/emulator-fixture.yaml");
    static final String KEY = "contract-key-7f3a9c1e5b";

    // Ids and addresses of config/samples/emulator-fixture.yaml.
    static final String ACCOUNT = "5f0c1a2b3c4d5e6f70819203";
    static final String STOREFRONT = "6a1b2c3d4e5f60718293a4b5";
    static final String MARKETING = "6a1b2c3d4e5f60718293a4b6";
    static final String LEGACY_POOL = "64b0c0ffee00000000000001";
    static final String UNKNOWN_POOL = "64b0c0ffee000000000000ff";
    static final String IP10 = "198.51.100.10";
    static final String IP11 = "198.51.100.11";
    static final String IP12 = "198.51.100.12";
    static final String IP13 = "198.51.100.13";
    static final String WARMING = "198.51.100.14";
    static final String IP15 = "198.51.100.15";
    static final String IP16 = "198.51.100.16";
    static final String IP17 = "198.51.100.17";
    static final String SHARED = "203.0.113.5";
    static final String UNKNOWN_IP = "192.0.2.99";
    static final List<String> DEDICATED = List.of(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17);

    MailgunEmulator emulator;
    MailgunClient client;
    RecordingListener listener;

    @BeforeEach
    void startEmulatorAndClient() {
        start(AccountFixture.load(SAMPLE_FIXTURE));
    }

    @AfterEach
    void stopEmulatorAndClient() {
        client.close();
        emulator.close();
    }

    /** Replaces the running emulator by one loaded from {@code fixture}, with a new client. */
    void restartWith(AccountFixture fixture) {
        stopEmulatorAndClient();
        start(fixture);
    }

    private void start(AccountFixture fixture) {
        emulator = MailgunEmulator.start(emulatorConfig(fixture));
        listener = new RecordingListener();
        client = OkHttpMailgunClient.create(clientOptions().build());
    }

    EmulatorConfig emulatorConfig(AccountFixture fixture) {
        return EmulatorConfig.defaults().withFixture(fixture).withApiKey(KEY);
    }

    /** Real time, short backoff, a bucket generous enough never to slow a test down. */
    MailgunClientOptions.Builder clientOptions() {
        return MailgunClientOptions.builder()
                .baseUrl(emulator.url())
                .apiKey(KEY)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .maxRetries(3)
                .retryBaseDelay(Duration.ofMillis(5))
                .retryMaxDelay(Duration.ofMillis(20))
                .rateLimiter(AccountRateLimiter.create(1000, 1000))
                .listener(listener);
    }

    EmulatorSnapshot state() {
        return emulator.state();
    }

    /** Starts the journal afresh, so a test sees only the calls it makes after set-up. */
    void forgetCalls() {
        emulator.journal().clear();
    }

    /** The journal as {@code METHOD /template STATUS} lines, oldest first. */
    List<String> calls() {
        return emulator.journal().entries().stream()
                .map(e -> e.endpoint() + " " + e.status())
                .toList();
    }

    JournalEntry lastCall() {
        List<JournalEntry> entries = emulator.journal().entries();
        assertThat(entries).isNotEmpty();
        return entries.get(entries.size() - 1);
    }

    EmulatorSnapshot.PoolView pool(String id) {
        return state().pool(id).orElseThrow(() -> new AssertionError("no pool " + id));
    }

    EmulatorSnapshot.DomainView domain(String name) {
        return state().domain(name).orElseThrow(() -> new AssertionError("no domain " + name));
    }

    String domainId(String name) {
        return domain(name).id();
    }

    /** Runs a call that must fail with a Mailgun error answer, and returns that error. */
    static MailgunApiException apiError(ThrowingCallable call) {
        MailgunApiException error = catchThrowableOfType(MailgunApiException.class, call);
        assertThat(error).as("a MailgunApiException").isNotNull();
        return error;
    }
}
