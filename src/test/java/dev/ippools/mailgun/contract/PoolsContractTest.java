package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.model.CreatedPool;
import dev.ippools.mailgun.client.model.IpDomains;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorSnapshot;
import dev.ippools.mailgun.emulator.JournalEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §2 pool endpoints: what the client parses and what the emulator did and recorded. */
class PoolsContractTest extends ContractSupport {

    @Test
    void listPoolsReadsTheFixturePool() {
        List<MailgunPool> pools = client.listPools();

        assertThat(pools)
                .containsExactly(new MailgunPool(
                        LEGACY_POOL,
                        "legacy-transactional",
                        "Created by hand before the operator was installed",
                        List.of(IP16, IP17),
                        false,
                        true));
        assertThat(calls()).containsExactly("GET /v3/ip_pools 200");
        assertThat(lastCall().onBehalfOf()).isNull();
    }

    @Test
    void getPoolReadsDetailsWithLinkedDomainNames() {
        IpPoolDetails details = client.getPool(LEGACY_POOL);

        assertThat(details)
                .isEqualTo(new IpPoolDetails(
                        LEGACY_POOL,
                        "legacy-transactional",
                        "Created by hand before the operator was installed",
                        List.of(IP16, IP17),
                        false,
                        true,
                        List.of("news.example.com")));
        assertThat(pool(LEGACY_POOL).linkedDomains()).containsExactly("news.example.com");
        assertThat(calls()).containsExactly("GET /v3/ip_pools/{pool_id} 200");
        assertThat(lastCall().path()).isEqualTo("/v3/ip_pools/" + LEGACY_POOL);
    }

    @Test
    void createPoolSendsRepeatedIpFieldsAndTheEmulatorHoldsThePool() {
        CreatedPool created = client.createPool(new NewPool("transactional", "Receipts", List.of(IP10, IP11)));

        assertThat(created.message()).isEqualTo("success");
        assertThat(created.poolId()).matches("[0-9a-f]{24}");
        EmulatorSnapshot.PoolView pool = pool(created.poolId());
        assertThat(pool.name()).isEqualTo("transactional");
        assertThat(pool.description()).isEqualTo("Receipts");
        assertThat(pool.ips()).containsExactly(IP10, IP11);
        assertThat(pool.ownerAccountId()).isEqualTo(ACCOUNT);
        assertThat(pool.linkedDomains()).isEmpty();
        assertThat(client.listPools()).extracting(MailgunPool::poolId).containsExactly(LEGACY_POOL, created.poolId());
        assertThat(calls()).containsExactly("POST /v3/ip_pools 200", "GET /v3/ip_pools 200");
    }

    @Test
    void createPoolWithoutIpsMakesAnEmptyPool() {
        CreatedPool created = client.createPool(new NewPool("spare", "Kept for later", List.of()));

        assertThat(pool(created.poolId()).ips()).isEmpty();
        assertThat(client.getPool(created.poolId()).linked()).isFalse();
    }

    @Test
    void renamingAPoolAnswersSuccessWithoutBackgroundWork() {
        MailgunResponse response = client.updatePool(
                LEGACY_POOL, new PoolChange("transactional", "Reçus & factures – 受領書", null, null, null, null));

        assertThat(response).isEqualTo(new MailgunResponse("success", null));
        assertThat(response.started()).isFalse();
        assertThat(pool(LEGACY_POOL).name()).isEqualTo("transactional");
        // Multipart form fields arrive as UTF-8, unharmed.
        assertThat(pool(LEGACY_POOL).description()).isEqualTo("Reçus & factures – 受領書");
        assertThat(client.getPool(LEGACY_POOL).description()).isEqualTo("Reçus & factures – 受領書");
        assertThat(state().pending()).isEmpty();
        assertThat(calls()).containsExactly("PATCH /v3/ip_pools/{pool_id} 200", "GET /v3/ip_pools/{pool_id} 200");
    }

    @Test
    void changingPoolIpsByPatchStartsWorkThatReachesTheLinkedDomain() {
        MailgunResponse response = client.updatePool(
                LEGACY_POOL, new PoolChange(null, null, List.of(IP12, IP13), List.of(IP16), null, null));

        assertThat(response.started()).isTrue();
        assertThat(response.referenceId()).matches("[0-9a-f]{24}");
        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP17, IP12, IP13);
        assertThat(state().domainIps("news.example.com")).containsExactly(IP17, IP12, IP13);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP17, IP12, IP13);
    }

    @Test
    void linkingAndUnlinkingDomainsByPatchUsesDomainIds() {
        String mailId = domainId("mail.example.com");

        MailgunResponse linked =
                client.updatePool(LEGACY_POOL, new PoolChange(null, null, null, null, List.of(mailId), null));

        assertThat(linked.started()).isTrue();
        assertThat(domain("mail.example.com").poolId()).isEqualTo(LEGACY_POOL);
        assertThat(domain("mail.example.com").visibleIps()).containsExactly(IP16, IP17);
        assertThat(client.getPool(LEGACY_POOL).linkedDomains()).containsExactly("mail.example.com", "news.example.com");

        String newsId = domainId("news.example.com");
        MailgunResponse unlinked =
                client.updatePool(LEGACY_POOL, new PoolChange(null, null, null, null, null, List.of(newsId)));

        assertThat(unlinked.started()).isTrue();
        // An unlinked domain keeps sending from the pool's IPs, now as its own.
        assertThat(domain("news.example.com").poolId()).isNull();
        assertThat(domain("news.example.com").ips()).containsExactly(IP16, IP17);
        assertThat(client.getPool(LEGACY_POOL).linkedDomains()).containsExactly("mail.example.com");
        assertThat(emulator.journal().entries("PATCH /v3/ip_pools/{pool_id}"))
                .extracting(JournalEntry::status)
                .containsExactly(200, 200);
    }

    @Test
    void deletingAnEmptyPoolNeedsNoReplacement() {
        String spare = client.createPool(new NewPool("spare", "d", List.of())).poolId();
        forgetCalls();

        MailgunResponse response = client.deletePool(spare, Replacement.NONE);

        assertThat(response.started()).isTrue();
        assertThat(state().pool(spare)).isEmpty();
        assertThat(client.listPools()).extracting(MailgunPool::poolId).containsExactly(LEGACY_POOL);
        assertThat(calls()).containsExactly("DELETE /v3/ip_pools/{pool_id} 200", "GET /v3/ip_pools 200");
        assertThat(emulator.journal().entries().get(0).query()).isNull();
    }

    @Test
    void deletingWithAReplacementIpMovesLinkedDomainsToThatIp() {
        MailgunResponse response = client.deletePool(LEGACY_POOL, Replacement.ip(IP12));

        assertThat(response.started()).isTrue();
        assertThat(response.referenceId()).matches("[0-9a-f]{24}");
        assertThat(state().pool(LEGACY_POOL)).isEmpty();
        assertThat(domain("news.example.com").poolId()).isNull();
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP12);
        assertThat(lastCallTo("DELETE /v3/ip_pools/{pool_id}").query()).isEqualTo("ip=" + IP12);
    }

    @Test
    void deletingWithSharedMovesLinkedDomainsToTheSharedIp() {
        client.deletePool(LEGACY_POOL, Replacement.shared());

        assertThat(state().pool(LEGACY_POOL)).isEmpty();
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(SHARED);
        assertThat(lastCallTo("DELETE /v3/ip_pools/{pool_id}").query()).isEqualTo("ip=shared");
    }

    @Test
    void deletingWithAReplacementPoolRelinksDomainsToIt() {
        String replacement =
                client.createPool(new NewPool("next", "d", List.of(IP13))).poolId();

        client.deletePool(LEGACY_POOL, Replacement.pool(replacement));

        assertThat(state().pool(LEGACY_POOL)).isEmpty();
        assertThat(domain("news.example.com").poolId()).isEqualTo(replacement);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP13);
        assertThat(client.getPool(replacement).linkedDomains()).containsExactly("news.example.com");
        assertThat(lastCallTo("DELETE /v3/ip_pools/{pool_id}").query()).isEqualTo("pool_id=" + replacement);
    }

    @Test
    void addingOneIpAnswersStartedAndTheLinkedDomainFollows() {
        MailgunResponse response = client.addPoolIp(LEGACY_POOL, IP13);

        assertThat(response.started()).isTrue();
        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP16, IP17, IP13);
        assertThat(state().domainIps("news.example.com")).containsExactly(IP16, IP17, IP13);
        assertThat(calls()).containsExactly("PUT /v3/ip_pools/{pool_id}/ips/{ip} 200");
        assertThat(lastCall().path()).isEqualTo("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP13);
    }

    @Test
    void addingAnIpThePoolHasChangesNothing() {
        MailgunResponse response = client.addPoolIp(LEGACY_POOL, IP16);

        assertThat(response.started()).isTrue();
        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP16, IP17);
        assertThat(state().pending()).isEmpty();
    }

    @Test
    void addingSeveralIpsGoesThroughIpsJson() {
        MailgunResponse response = client.addPoolIps(LEGACY_POOL, List.of(IP12, IP13));

        assertThat(response.started()).isTrue();
        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP16, IP17, IP12, IP13);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16, IP17, IP12, IP13);
        assertThat(calls())
                .containsExactly("POST /v3/ip_pools/{pool_id}/ips.json 200", "GET /v3/domains/{name}/ips 200");
    }

    @Test
    void removingAnIpAnswersStartedAndTheLinkedDomainFollows() {
        MailgunResponse response = client.removePoolIp(LEGACY_POOL, IP17);

        assertThat(response.started()).isTrue();
        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP16);
        assertThat(client.getPool(LEGACY_POOL).ips()).containsExactly(IP16);
        assertThat(client.legacyListDomainIps("news.example.com")).containsExactly(IP16);
        assertThat(calls().get(0)).isEqualTo("DELETE /v3/ip_pools/{pool_id}/ips/{ip} 200");
    }

    @Test
    void aSubaccountCreatesItsOwnPoolFromItsLinkedIp() {
        CreatedPool created =
                client.onBehalfOf(STOREFRONT).createPool(new NewPool("shop", "Storefront", List.of(IP15)));

        assertThat(pool(created.poolId()).ownerAccountId()).isEqualTo(STOREFRONT);
        assertThat(client.onBehalfOf(STOREFRONT).listPools()).singleElement().satisfies(p -> {
            assertThat(p.poolId()).isEqualTo(created.poolId());
            assertThat(p.inherited()).isFalse();
        });
        // The parent does not see a subaccount's own pools.
        assertThat(client.listPools()).extracting(MailgunPool::poolId).containsExactly(LEGACY_POOL);
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::onBehalfOf)
                .containsExactly(STOREFRONT, STOREFRONT, null);
    }

    @Test
    void ipv6AddressesTravelPercentEncodedInPaths() {
        String v6 = "2001:db8::10";
        restartWith(AccountFixture.parse("""
            ips:
              - {ip: 198.51.100.10}
              - {ip: "2001:db8::10", rdns: v6.mail.example.com}
            pools:
              - {id: 64b0c0ffee00000000000001, name: dual, ips: [198.51.100.10]}
            domains:
              - {name: mail.example.com, pool: dual}
            """));

        client.addPoolIp(LEGACY_POOL, v6);
        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP10, v6);
        assertThat(client.legacyListDomainIps("mail.example.com")).containsExactly(IP10, v6);
        assertThat(client.getIp(v6).rdns()).isEqualTo("v6.mail.example.com");
        assertThat(client.listIpDomains(v6, null, null, null).items())
                .extracting(IpDomains.Item::domain)
                .containsExactly("mail.example.com");
        client.removePoolIp(LEGACY_POOL, v6);

        assertThat(pool(LEGACY_POOL).ips()).containsExactly(IP10);
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::path)
                .contains("/v3/ip_pools/" + LEGACY_POOL + "/ips/2001%3Adb8%3A%3A10", "/v3/ips/2001%3Adb8%3A%3A10");
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::status)
                .containsOnly(200);
    }

    private JournalEntry lastCallTo(String endpoint) {
        List<JournalEntry> entries = emulator.journal().entries(endpoint);
        assertThat(entries).isNotEmpty();
        return entries.get(entries.size() - 1);
    }
}
