package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.account.BindingLinks.View;
import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.AccountFixture.DomainFixture;
import dev.ippools.mailgun.emulator.AccountFixture.IpFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.execute.batch.PoolWriteBatcher;
import dev.ippools.mailgun.plan.LinkStanding;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batched links against the emulator: one PATCH per pool, split parts, shared verification. */
class BindingLinksTest {

    private static final String KEY = "links-key";
    private static final Duration RELINK = Duration.ofSeconds(5);

    private MailgunEmulator emulator;
    private MailgunClient client;
    private AccountState account;
    private final Set<String> settled = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        List<IpFixture> ips = List.of(
                new IpFixture("10.0.0.1", true, true, false, null), new IpFixture("10.0.0.2", true, true, false, null));
        List<DomainFixture> domains = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            domains.add(new DomainFixture(null, "d" + d + ".example.com", List.of("10.0.0.1"), null));
        }
        emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withApiKey(KEY)
                .withFixture(new AccountFixture(
                        "5f0c1a2b3c4d5e6f70819299",
                        new AccountFixture.Features(true, true),
                        ips,
                        domains,
                        List.of(),
                        List.of())));
        client = OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(emulator.url())
                .apiKey(KEY)
                .maxRetries(1)
                .retryBaseDelay(Duration.ofMillis(5))
                .retryMaxDelay(Duration.ofMillis(20))
                .rateLimiter(AccountRateLimiter.create(1000, 1000))
                .build());
        account = new AccountState(
                new AccountKey(emulator.url(), null, "test"), client, Clock.systemUTC(), Duration.ofMillis(300));
        account.links().onSettled(settled::addAll);
    }

    @AfterEach
    void stop() {
        account.links().close();
        client.close();
        emulator.close();
    }

    @Test
    void linksQueuedForOnePoolGoOutAsOnePatchAndTheBulkReadVerifiesThem() {
        String pool =
                client.createPool(new NewPool("p", "d", List.of("10.0.0.1"))).poolId();
        account.refresh();
        emulator.journal().clear();
        BindingLinks links = account.links();
        for (int d = 0; d < 10; d++) {
            View view = links.observe(domain(d), pool, RELINK);
            assertThat(view.standing()).isEqualTo(LinkStanding.NOT_LINKED);
            assertThat(links.link(domain(d), view.domainId(), pool).standing()).isEqualTo(LinkStanding.QUEUED);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.size() == 10);
        assertThat(links.observe(domain(0), pool, RELINK).standing()).isEqualTo(LinkStanding.ACCEPTED);

        account.refresh();
        for (int d = 0; d < 10; d++) {
            assertThat(links.observe(domain(d), pool, RELINK).standing()).isEqualTo(LinkStanding.LINKED);
        }
        // One directory read, one PATCH with ten link_domain, one bulk read; no read per domain.
        assertThat(endpoints())
                .containsExactly("GET /v4/domains", "PATCH /v3/ip_pools/{pool_id}", "GET /v3/ip_pools", "GET /v3/ips");
        assertThat(emulator.state().pool(pool).orElseThrow().linkedDomains()).hasSize(10);
        assertThat(account.cachedDomain(domain(3)).orElseThrow().linkedPoolId()).isEqualTo(pool);
    }

    @Test
    void aRejectedPartIsFoundByBisectionAndItsNeighboursAreLinked() {
        String pool =
                client.createPool(new NewPool("p", "d", List.of("10.0.0.1"))).poolId();
        account.refresh();
        BindingLinks links = account.links();
        List<String> ids = new ArrayList<>();
        for (int d = 0; d < 8; d++) {
            ids.add(links.observe(domain(d), pool, RELINK).domainId());
        }
        emulator.journal().clear();
        for (int d = 0; d < 8; d++) {
            // d5's id names no domain of the account: Mailgun refuses the whole PATCH.
            links.link(domain(d), d == 5 ? "64b0c0ffee0000000000dead" : ids.get(d), pool);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.size() == 8);

        for (int d = 0; d < 8; d++) {
            assertThat(links.observe(domain(d), pool, RELINK).standing())
                    .as(domain(d))
                    .isEqualTo(d == 5 ? LinkStanding.REJECTED : LinkStanding.ACCEPTED);
        }
        assertThat(links.observe(domain(5), pool, RELINK).ticket().failure().getMessage())
                .contains("404");
        assertThat(emulator.state().pool(pool).orElseThrow().linkedDomains()).hasSize(7);
        // 8 -> 4 ok + 4 -> 2 + 2 ok -> 1 ok + 1 refused: seven PATCHes, and after each refused
        // one a look at the pool, which is still there (else every part would have failed at once).
        assertThat(endpoints().stream().filter(e -> e.startsWith("PATCH")).count())
                .isEqualTo(7);
        assertThat(endpoints().stream()
                        .filter(e -> e.equals("GET /v3/ip_pools/{pool_id}"))
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aPoolThatAlreadyHasDomainsIsVerifiedByOneReadOfItsDomainsPerBatch() {
        String pool =
                client.createPool(new NewPool("p", "d", List.of("10.0.0.1"))).poolId();
        BindingLinks links = account.links();
        client.updatePool(
                pool,
                new PoolChange(
                        null,
                        null,
                        null,
                        null,
                        List.of(links.observe(domain(11), null, RELINK).domainId()),
                        null));
        account.refresh();
        emulator.journal().clear();
        for (int d = 0; d < 4; d++) {
            links.link(domain(d), links.observe(domain(d), pool, RELINK).domainId(), pool);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.size() == 4);
        // What the pool had (one read, shared by the four), the batch, and the batch's one read,
        // made before the bindings wake: they find it and read nothing themselves.
        assertThat(endpoints())
                .containsExactly(
                        "GET /v3/ip_pools/{pool_id}/domains",
                        "PATCH /v3/ip_pools/{pool_id}",
                        "GET /v3/ip_pools/{pool_id}/domains");
        emulator.journal().clear();
        for (int d = 0; d < 4; d++) {
            assertThat(links.observe(domain(d), pool, RELINK).standing()).isEqualTo(LinkStanding.LINKED);
        }
        assertThat(endpoints()).isEmpty();
    }

    @Test
    void aLinkMadeMeanwhileByAnotherHandIsDoneNotRejected() {
        String pool =
                client.createPool(new NewPool("p", "d", List.of("10.0.0.1"))).poolId();
        account.refresh();
        BindingLinks links = account.links();
        View view = links.observe(domain(0), pool, RELINK);
        assertThat(view.standing()).isEqualTo(LinkStanding.NOT_LINKED);
        client.updatePool(pool, new PoolChange(null, null, null, null, List.of(view.domainId()), null));

        links.link(domain(0), view.domainId(), pool);
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.contains(domain(0)));

        assertThat(links.observe(domain(0), pool, RELINK).ticket().state()).isEqualTo(PoolWriteBatcher.State.ACCEPTED);
    }

    @Test
    void aDomainMovedToAnotherPoolIsNoLongerCountedInTheFirst() {
        String from =
                client.createPool(new NewPool("from", "d", List.of("10.0.0.1"))).poolId();
        String to =
                client.createPool(new NewPool("to", "d", List.of("10.0.0.2"))).poolId();
        BindingLinks links = account.links();
        String id = links.observe(domain(0), null, RELINK).domainId();
        client.updatePool(
                from,
                new PoolChange(
                        null,
                        null,
                        null,
                        null,
                        List.of(id, links.observe(domain(11), null, RELINK).domainId()),
                        null));
        account.refresh();
        assertThat(links.observe(domain(0), from, RELINK).standing()).isEqualTo(LinkStanding.LINKED);

        // Linking to another pool moves the domain (what a deleted binding's replacement does).
        links.link(domain(0), id, to);
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.contains(domain(0)));
        account.refresh();
        assertThat(links.observe(domain(0), to, RELINK).standing()).isEqualTo(LinkStanding.LINKED);
        account.forgetDomain(domain(0));
        emulator.journal().clear();

        // The first pool still shows linked (domain 11), so its read is kept; it must not still
        // list the domain that left.
        assertThat(links.observe(domain(0), from, RELINK).standing()).isEqualTo(LinkStanding.NOT_LINKED);
        assertThat(endpoints()).isEmpty();
    }

    @Test
    void beforeAnUnlinkOnlyAFreshReadSaysTheDomainIsNotInThePool() {
        String pool =
                client.createPool(new NewPool("p", "d", List.of("10.0.0.1"))).poolId();
        BindingLinks links = account.links();
        String id = links.observe(domain(0), null, RELINK).domainId();
        client.updatePool(
                pool,
                new PoolChange(
                        null,
                        null,
                        null,
                        null,
                        List.of(links.observe(domain(11), null, RELINK).domainId()),
                        null));
        account.refresh();
        assertThat(links.observe(domain(0), pool, RELINK).standing()).isEqualTo(LinkStanding.NOT_LINKED);
        // Linked by another hand: the pool's IPs and link flag stay as they were.
        client.updatePool(pool, new PoolChange(null, null, null, null, List.of(id), null));
        emulator.journal().clear();

        assertThat(links.observe(domain(0), pool, RELINK).standing()).isEqualTo(LinkStanding.NOT_LINKED);
        assertThat(endpoints()).isEmpty();
        assertThat(links.observeBeforeUnlink(domain(0), pool, Duration.ZERO).standing())
                .isEqualTo(LinkStanding.LINKED);
        assertThat(endpoints()).containsExactly("GET /v3/ip_pools/{pool_id}/domains");
    }

    private static String domain(int d) {
        return "d" + d + ".example.com";
    }

    private List<String> endpoints() {
        return emulator.journal().entries().stream().map(JournalEntry::endpoint).toList();
    }
}
