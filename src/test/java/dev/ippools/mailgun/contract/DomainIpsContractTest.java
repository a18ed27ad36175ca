package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.emulator.JournalEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §3 domain IP endpoints: explicit IPs, linking a pool, removing, {@code all} and unlinking. */
class DomainIpsContractTest extends ContractSupport {

    private static final MailgunResponse SUCCESS = new MailgunResponse("success", null);

    @Test
    void listDomainIpsReadsExplicitAndPoolIps() {
        assertThat(client.legacyListDomainIps("mail.example.com")).containsExactly(IP10, IP11);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17);
        // No IPs in the fixture: the account's dedicated IPs.
        assertThat(client.legacyListDomainIps("billing.example.com")).isEqualTo(DEDICATED);
        assertThat(calls()).containsOnly("GET /v3/domains/{name}/ips 200").hasSize(3);
        assertThat(emulator.journal().entries().get(0).path()).isEqualTo("/v3/domains/mail.example.com/ips");
    }

    @Test
    void assignDomainIpAddsToTheExplicitSet() {
        MailgunResponse response = client.legacyAssignDomainIp("alerts.example.com", IP13);

        assertThat(response).isEqualTo(SUCCESS);
        assertThat(domain("alerts.example.com").ips()).containsExactly(IP12, IP13);
        assertThat(client.legacyListDomainIps("alerts.example.com")).containsExactly(IP12, IP13);
        assertThat(calls().get(0)).isEqualTo("POST /v3/domains/{name}/ips 200");
    }

    @Test
    void linkDomainPoolReplacesTheDomainsIpsWithThePools() {
        MailgunResponse response = client.legacyLinkDomainPool("mail.example.com", LEGACY_POOL);

        assertThat(response).isEqualTo(SUCCESS);
        assertThat(domain("mail.example.com").poolId()).isEqualTo(LEGACY_POOL);
        assertThat(client.legacyListDomainIps("mail.example.com")).containsExactly(IP16, IP17);
        assertThat(client.getPool(LEGACY_POOL).linkedDomains()).containsExactly("mail.example.com", "news.example.com");
        assertThat(calls().get(0)).isEqualTo("POST /v3/domains/{name}/ips 200");
    }

    @Test
    void removeDomainIpDropsOneIp() {
        MailgunResponse response = client.legacyRemoveDomainIp("mail.example.com", IP10, Replacement.NONE);

        assertThat(response).isEqualTo(SUCCESS);
        assertThat(client.legacyListDomainIps("mail.example.com")).containsExactly(IP11);
        JournalEntry call = emulator.journal().entries().get(0);
        assertThat(call.endpoint()).isEqualTo("DELETE /v3/domains/{name}/ips/{ip}");
        assertThat(call.path()).isEqualTo("/v3/domains/mail.example.com/ips/" + IP10);
        assertThat(call.query()).isNull();
    }

    @Test
    void removeDomainIpWithAReplacementPutsItInPlace() {
        client.legacyRemoveDomainIp("alerts.example.com", IP12, Replacement.ip(IP13));

        assertThat(domain("alerts.example.com").ips()).containsExactly(IP13);
        assertThat(client.legacyListDomainIps("alerts.example.com")).containsExactly(IP13);
        assertThat(emulator.journal().entries().get(0).query()).isEqualTo("ip=" + IP13);
    }

    @Test
    void removingTheLastIpFallsBackToTheSharedIpOnAnEligibleAccount() {
        client.legacyRemoveDomainIp("alerts.example.com", IP12, Replacement.NONE);

        assertThat(client.legacyListDomainIps("alerts.example.com")).containsExactly(SHARED);
    }

    @Test
    void removeDomainPoolDropsTheLinkAndFallsBackToTheAccountDefault() {
        MailgunResponse response = client.legacyRemoveDomainPool("news.example.com");

        assertThat(response).isEqualTo(SUCCESS);
        assertThat(domain("news.example.com").poolId()).isNull();
        assertThat(client.legacyListDomainIps("news.example.com")).isEqualTo(DEDICATED);
        assertThat(pool(LEGACY_POOL).linkedDomains()).isEmpty();
        assertThat(client.getPool(LEGACY_POOL).linked()).isFalse();
        JournalEntry call = emulator.journal().entries().get(0);
        assertThat(call.endpoint()).isEqualTo("DELETE /v3/domains/{name}/ips/{ip}");
        assertThat(call.path()).isEqualTo("/v3/domains/news.example.com/ips/all");
    }

    @Test
    void unlinkWithAReplacementIp() {
        MailgunResponse response = client.legacyUnlinkDomainPool("news.example.com", Replacement.ip(IP12));

        assertThat(response).isEqualTo(SUCCESS);
        assertThat(domain("news.example.com").poolId()).isNull();
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP12);
        assertThat(pool(LEGACY_POOL).linkedDomains()).isEmpty();
        JournalEntry call = emulator.journal().entries().get(0);
        assertThat(call.path()).isEqualTo("/v3/domains/news.example.com/ips/ip_pool");
        assertThat(call.query()).isEqualTo("ip=" + IP12);
        assertThat(call.status()).isEqualTo(200);
    }

    @Test
    void unlinkWithShared() {
        client.legacyUnlinkDomainPool("news.example.com", Replacement.shared());

        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(SHARED);
        assertThat(emulator.journal().entries().get(0).query()).isEqualTo("ip=shared");
    }

    @Test
    void unlinkWithAReplacementPoolRelinks() {
        String next = client.createPool(new NewPool("next", "d", List.of(IP13))).poolId();
        forgetCalls();

        client.legacyUnlinkDomainPool("news.example.com", Replacement.pool(next));

        assertThat(domain("news.example.com").poolId()).isEqualTo(next);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP13);
        assertThat(pool(next).linkedDomains()).containsExactly("news.example.com");
        assertThat(emulator.journal().entries().get(0).query()).isEqualTo("pool_id=" + next);
    }

    @Test
    void subaccountsManageTheirOwnDomains() {
        assertThat(client.onBehalfOf(MARKETING).legacyListDomainIps("promo.example.net"))
                .containsExactly(SHARED);

        client.onBehalfOf(STOREFRONT).legacyRemoveDomainIp("shop.example.org", IP15, Replacement.NONE);
        assertThat(domain("shop.example.org").ips()).containsExactly(SHARED);
        client.onBehalfOf(STOREFRONT).legacyAssignDomainIp("shop.example.org", IP15);

        assertThat(client.onBehalfOf(STOREFRONT).legacyListDomainIps("shop.example.org"))
                .containsExactly(SHARED, IP15);
        assertThat(domain("shop.example.org").accountId()).isEqualTo(STOREFRONT);
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::onBehalfOf)
                .containsExactly(MARKETING, STOREFRONT, STOREFRONT, STOREFRONT);
    }
}
