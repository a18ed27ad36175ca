package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.ObservedAccount;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the account's cached view costs: its first read, and its rebuilds. */
class AccountSnapshotTest {

    private MailgunEmulator emulator;
    private MailgunClient client;
    private AccountState account;

    @BeforeEach
    void start() {
        emulator = MailgunEmulator.start(EmulatorConfig.defaults());
        client = OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(emulator.url())
                .apiKey(EmulatorConfig.DEFAULT_API_KEY)
                .rateLimiter(AccountRateLimiter.create(1000, 1000))
                .build());
        account = new AccountState(new AccountKey(emulator.url(), null, "test"), client, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void reconcilesAskingAtOnceShareOneFirstRead() throws Exception {
        ExecutorService reconciles = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Snapshot>> asked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asked.add(reconciles.submit(() -> {
                    start.await();
                    return account.snapshot();
                }));
            }
            start.countDown();
            for (Future<Snapshot> s : asked) {
                assertThat(s.get(10, TimeUnit.SECONDS)).isNotNull();
            }
        } finally {
            reconciles.shutdownNow();
        }
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::endpoint)
                .containsExactly("GET /v3/ip_pools", "GET /v3/ips");
    }

    @Test
    void reReadingADomainThatDidNotChangeKeepsThePlannersView() {
        account.recordDomain(
                new DomainObservation("mail.example.com", true, Set.of("10.0.0.1"), null, null, Instant.now()));
        ObservedAccount view = ObservedMapper.observed(account);

        // Read again later, the same: every reconcile would otherwise rebuild the whole view.
        account.recordDomain(new DomainObservation(
                "mail.example.com",
                true,
                Set.of("10.0.0.1"),
                null,
                null,
                Instant.now().plusSeconds(5)));
        assertThat(ObservedMapper.observed(account)).isSameAs(view);

        account.recordDomain(new DomainObservation(
                "mail.example.com",
                true,
                Set.of("10.0.0.2"),
                null,
                null,
                Instant.now().plusSeconds(10)));
        assertThat(ObservedMapper.observed(account)).isNotSameAs(view);
        assertThat(ObservedMapper.observed(account)
                        .domains()
                        .get("mail.example.com")
                        .ips())
                .containsExactly("10.0.0.2");
    }

    @Test
    void aRecordedCreateReportsWhatADiffOfTheTwoReadsWould() {
        Snapshot before = account.snapshot();
        MailgunPool created =
                new MailgunPool("p-new", "new", "made here", List.of("10.0.0.9", "10.0.0.8"), false, false);

        Watcher.Change change = account.recordCreated(created);

        assertThat(change).isEqualTo(account.snapshot().diff(before));
        assertThat(change.poolIds()).containsExactly("p-new");
        assertThat(account.recordCreated(created).isEmpty()).as("known already").isTrue();
    }
}
