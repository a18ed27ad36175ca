package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.model.AccountIp;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.IpDomains;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.JournalEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §4 account IP endpoints: the list and its filters, one IP, and the domains using an IP. */
class AccountIpsContractTest extends ContractSupport {

    private static final List<String> ALL = List.of(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17, SHARED);

    @Test
    void listIpsReadsItemsDetailsAndAssignability() {
        AccountIps ips = client.listIps(null, null);

        assertThat(ips.items()).isEqualTo(ALL);
        assertThat(ips.totalCount()).isEqualTo(9);
        assertThat(ips.dippsEnabled()).isTrue();
        // Not assignable: warming (14), in a pool (16, 17), not dedicated (shared).
        assertThat(ips.assignableToPools()).containsExactly(IP10, IP11, IP12, IP13, IP15);
        assertThat(ips.details())
                .filteredOn(AccountIps.IpDetail::onWarmup)
                .extracting(AccountIps.IpDetail::ip)
                .containsExactly(WARMING);
        assertThat(ips.details()).extracting(AccountIps.IpDetail::ip).isEqualTo(ALL);
        assertThat(state().ips()).hasSize(9);
        assertThat(calls()).containsExactly("GET /v3/ips 200");
        assertThat(lastCall().query()).isNull();
    }

    @Test
    void dedicatedFilterSendsBooleans() {
        assertThat(client.listIps(true, null).items()).isEqualTo(DEDICATED);
        assertThat(client.listIps(false, null).items()).containsExactly(SHARED);

        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::query)
                .containsExactly("dedicated=true", "dedicated=false");
    }

    @Test
    void enabledFilterLeavesDisabledIpsOut() {
        restartWith(AccountFixture.parse("""
            ips:
              - {ip: 198.51.100.10}
              - {ip: 198.51.100.11, enabled: false}
              - {ip: 203.0.113.5, dedicated: false}
            """));

        assertThat(client.listIps(null, true).items()).containsExactly(IP10, SHARED);
        assertThat(client.listIps(null, false).items()).containsExactly(IP11);
        AccountIps both = client.listIps(true, true);
        assertThat(both.items()).containsExactly(IP10);
        assertThat(both.totalCount()).isEqualTo(1);
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::query)
                .containsExactly("enabled=true", "enabled=false", "dedicated=true&enabled=true");
    }

    @Test
    void listIpsWithoutTheDippsFeatureHasNoAssignableList() {
        restartWith(AccountFixture.parse("""
            features: {dipps: false}
            ips:
              - {ip: 198.51.100.10}
            """));

        AccountIps ips = client.listIps(null, null);

        assertThat(ips.dippsEnabled()).isFalse();
        assertThat(ips.assignableToPools()).isNull();
        assertThat(ips.items()).containsExactly(IP10);
    }

    @Test
    void aSubaccountSeesOnlyTheIpsLinkedToIt() {
        assertThat(client.onBehalfOf(STOREFRONT).listIps(null, null).items()).containsExactly(IP15);
        assertThat(client.onBehalfOf(MARKETING).listIps(null, null).items()).isEmpty();
        assertThat(state().ips())
                .filteredOn(ip -> ip.ip().equals(IP15))
                .singleElement()
                .satisfies(ip -> assertThat(ip.linkedSubaccounts()).containsExactly(STOREFRONT));
    }

    @Test
    void getIpReadsOneIp() {
        assertThat(client.getIp(IP10)).isEqualTo(new AccountIp(IP10, "mta10.mail.example.com", true));
        assertThat(client.getIp(SHARED)).isEqualTo(new AccountIp(SHARED, "shared5.mailgun.example", false));
        assertThat(calls()).containsExactly("GET /v3/ips/{ip} 200", "GET /v3/ips/{ip} 200");
        assertThat(emulator.journal().entries().get(0).path()).isEqualTo("/v3/ips/" + IP10);
    }

    @Test
    void ipDomainsListsTheDomainsUsingAnIpInIdOrder() {
        IpDomains domains = client.listIpDomains(IP10, null, null, null);

        assertThat(domains.totalCount()).isEqualTo(2);
        assertThat(domains.items())
                .containsExactly(
                        new IpDomains.Item("mail.example.com", List.of(IP10, IP11)),
                        new IpDomains.Item("billing.example.com", DEDICATED));
        assertThat(calls()).containsExactly("GET /v3/ips/{ip}/domains 200");
    }

    @Test
    void ipDomainsPagesWithLimitAndSkip() {
        IpDomains first = client.listIpDomains(IP10, 1, null, null);
        IpDomains second = client.listIpDomains(IP10, 1, 1, null);
        IpDomains past = client.listIpDomains(IP10, 1, 2, null);

        assertThat(first.items()).extracting(IpDomains.Item::domain).containsExactly("mail.example.com");
        assertThat(second.items()).extracting(IpDomains.Item::domain).containsExactly("billing.example.com");
        assertThat(past.items()).isEmpty();
        // total_count counts every match, not the page.
        assertThat(List.of(first, second, past))
                .extracting(IpDomains::totalCount)
                .containsOnly(2);
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::query)
                .containsExactly("limit=1", "limit=1&skip=1", "limit=1&skip=2");
    }

    @Test
    void ipDomainsSearchOrMatchesWords() {
        IpDomains bill = client.listIpDomains(IP16, null, null, "bill");
        IpDomains words = client.listIpDomains(IP16, 10, 0, "news nothing");

        assertThat(bill.items()).extracting(IpDomains.Item::domain).containsExactly("billing.example.com");
        assertThat(bill.totalCount()).isEqualTo(1);
        assertThat(words.items())
                .singleElement()
                .isEqualTo(new IpDomains.Item("news.example.com", List.of(IP16, IP17)));
        assertThat(emulator.journal().entries().get(1).query()).isEqualTo("limit=10&skip=0&search=news%20nothing");
    }
}
