package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.client.model.IpDomains;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.emulator.EmulatorSnapshot.PendingOperation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mailgun's asynchronous work as the client sees it: a pool change answers {@code started}, the
 * pool itself changes at once, and the domains it reaches follow only after the propagation delay.
 */
class PropagationContractTest extends ContractSupport {

    /** Long enough that nothing becomes visible by itself while a test runs. */
    private static final Duration HELD = Duration.ofMinutes(10);

    @Test
    void addingAnIpIsStartedAndDomainsChangeOnlyWhenSettled() {
        emulator.setPropagationDelay(HELD);

        MailgunResponse response = client.addPoolIp(LEGACY_POOL, IP13);

        assertThat(response.started()).isTrue();
        assertThat(client.getPool(LEGACY_POOL).ips()).containsExactly(IP16, IP17, IP13);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17);
        assertThat(client.listIpDomains(IP13, null, null, null).items())
                .extracting(IpDomains.Item::domain)
                .containsExactly("billing.example.com");
        assertThat(domain("news.example.com").ips()).containsExactly(IP16, IP17, IP13);
        assertThat(domain("news.example.com").visibleIps()).containsExactly(IP16, IP17);
        assertThat(state().pending())
                .singleElement()
                .extracting(PendingOperation::referenceId, PendingOperation::kind)
                .containsExactly(response.referenceId(), "domain-propagation");

        assertThat(emulator.settle()).isEqualTo(1);

        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17, IP13);
        assertThat(client.listIpDomains(IP13, null, null, null).items())
                .extracting(IpDomains.Item::domain)
                .containsExactly("news.example.com", "billing.example.com");
        assertThat(state().pending()).isEmpty();
    }

    @Test
    void aShortDelayPassesByItself() {
        emulator.setPropagationDelay(Duration.ofMillis(300));

        assertThat(client.removePoolIp(LEGACY_POOL, IP17).started()).isTrue();

        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(client.legacyListDomainIps("news.example.com"))
                        .containsExactly(IP16));
        assertThat(state().pending()).isEmpty();
    }

    @Test
    void severalIpsByIpsJsonWaitForTheDelayToo() {
        emulator.setPropagationDelay(HELD);

        assertThat(client.addPoolIps(LEGACY_POOL, List.of(IP12, IP13)).started())
                .isTrue();

        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP16, IP17, IP12, IP13);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17);
        emulator.settle();
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17, IP12, IP13);
    }

    @Test
    void aLinkByPatchShowsInLinkedDomainsOnlyWhenSettled() {
        emulator.setPropagationDelay(HELD);

        MailgunResponse response = client.updatePool(
                LEGACY_POOL, new PoolChange(null, null, null, null, List.of(domainId("mail.example.com")), null));

        assertThat(response.started()).isTrue();
        assertThat(client.getPool(LEGACY_POOL).linkedDomains()).containsExactly("news.example.com");
        assertThat(client.legacyListDomainIps("mail.example.com")).containsExactly(IP10, IP11);
        assertThat(pool(LEGACY_POOL).linkedDomains()).containsExactly("mail.example.com", "news.example.com");
        assertThat(pool(LEGACY_POOL).visibleLinkedDomains()).containsExactly("news.example.com");

        emulator.settle();

        assertThat(client.getPool(LEGACY_POOL).linkedDomains()).containsExactly("mail.example.com", "news.example.com");
        assertThat(client.legacyListDomainIps("mail.example.com")).containsExactly(IP16, IP17);
    }

    @Test
    void aDeletedPoolIsGoneAtOnceWhileItsDomainsMoveLater() {
        String next = client.createPool(new NewPool("next", "d", List.of(IP13))).poolId();
        emulator.setPropagationDelay(HELD);

        MailgunResponse response = client.deletePool(LEGACY_POOL, Replacement.pool(next));

        assertThat(response.started()).isTrue();
        assertThat(client.listPools()).extracting(MailgunPool::poolId).containsExactly(next);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17);
        assertThat(client.getPool(next).linkedDomains()).isEmpty();
        assertThat(state().pending()).extracting(PendingOperation::referenceId).containsExactly(response.referenceId());

        emulator.settle();

        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP13);
        assertThat(client.getPool(next).linkedDomains()).containsExactly("news.example.com");
    }

    @Test
    void delegationReachesTheSubaccountWhenSettled() {
        emulator.setPropagationDelay(HELD);

        assertThat(client.delegatePool(LEGACY_POOL, STOREFRONT).message()).isEqualTo("success");

        assertThat(client.onBehalfOf(STOREFRONT).listPools()).isEmpty();
        assertThat(state().pending()).extracting(PendingOperation::kind).containsExactly("delegation");
        emulator.settle();
        assertThat(client.onBehalfOf(STOREFRONT).listPools())
                .extracting(MailgunPool::poolId, MailgunPool::inherited)
                .containsExactly(tuple(LEGACY_POOL, true));
    }
}
