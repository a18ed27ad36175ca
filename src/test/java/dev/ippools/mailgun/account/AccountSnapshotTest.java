package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The first snapshot of an account, asked for by many reconciles at once. */
class AccountSnapshotTest {

  @Test
  void reconcilesAskingAtOnceShareOneFirstRead() throws Exception {
    try (MailgunEmulator emulator = MailgunEmulator.start(EmulatorConfig.defaults());
        MailgunClient client = OkHttpMailgunClient.create(MailgunClientOptions.builder()
            .baseUrl(emulator.url()).apiKey(EmulatorConfig.DEFAULT_API_KEY)
            .rateLimiter(AccountRateLimiter.create(1000, 1000)).build())) {
      AccountState account = new AccountState(new AccountKey(emulator.url(), null, "test"),
          client, Clock.systemUTC());
      ExecutorService reconciles = Executors.newFixedThreadPool(8);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<AccountState.Snapshot>> asked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          asked.add(reconciles.submit(() -> {
            start.await();
            return account.snapshot();
          }));
        }
        start.countDown();
        for (Future<AccountState.Snapshot> s : asked) {
          assertThat(s.get(10, TimeUnit.SECONDS)).isNotNull();
        }
      } finally {
        reconciles.shutdownNow();
      }
      assertThat(emulator.journal().entries()).extracting(JournalEntry::endpoint)
          .containsExactly("GET /v3/ip_pools", "GET /v3/ips");
    }
  }
}
