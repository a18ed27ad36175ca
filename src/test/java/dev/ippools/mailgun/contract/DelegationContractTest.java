package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolDomain;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import dev.ippools.mailgun.emulator.JournalEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delegating pools to subaccounts (v3 and legacy v5) and what subaccounts then see. */
class DelegationContractTest extends ContractSupport {

    @Test
    void aDelegatedPoolIsInheritedByTheSubaccount() {
        MailgunResponse response = client.delegatePool(LEGACY_POOL, STOREFRONT);

        assertThat(response).isEqualTo(new MailgunResponse("success", null));
        assertThat(pool(LEGACY_POOL).delegatedTo()).containsExactly(STOREFRONT);
        MailgunClient storefront = client.onBehalfOf(STOREFRONT);
        assertThat(storefront.listPools())
                .containsExactly(new MailgunPool(
                        LEGACY_POOL,
                        "legacy-transactional",
                        "Created by hand before the operator was installed",
                        List.of(IP16, IP17),
                        true,
                        // The parent's news.example.com is not the subaccount's business.
                        false));
        IpPoolDetails details = storefront.getPool(LEGACY_POOL);
        assertThat(details.inherited()).isTrue();
        assertThat(details.linkedDomains()).isEmpty();
        assertThat(client.onBehalfOf(MARKETING).listPools()).isEmpty();
        assertThat(calls())
                .containsExactly(
                        "PUT /v3/ip_pools/{pool_id}/delegate 200",
                        "GET /v3/ip_pools 200",
                        "GET /v3/ip_pools/{pool_id} 200",
                        "GET /v3/ip_pools 200");
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::onBehalfOf)
                .containsExactly(null, STOREFRONT, STOREFRONT, MARKETING);
    }

    @Test
    void aSubaccountLinksItsDomainToAnInheritedPool() {
        client.delegatePool(LEGACY_POOL, STOREFRONT);
        MailgunClient storefront = client.onBehalfOf(STOREFRONT);

        storefront.legacyLinkDomainPool("shop.example.org", LEGACY_POOL);

        assertThat(domain("shop.example.org").poolId()).isEqualTo(LEGACY_POOL);
        assertThat(storefront.legacyListDomainIps("shop.example.org")).containsExactly(IP16, IP17);
        assertThat(storefront.getPool(LEGACY_POOL).linkedDomains()).containsExactly("shop.example.org");
        assertThat(storefront.listAllPoolDomains(LEGACY_POOL))
                .extracting(PoolDomain::name)
                .containsExactly("shop.example.org");
        // The owner sees every linked domain, the subaccount's included.
        assertThat(client.getPool(LEGACY_POOL).linkedDomains()).containsExactly("news.example.com", "shop.example.org");
    }

    @Test
    void revokingUnlinksTheSubaccountsDomains() {
        client.delegatePool(LEGACY_POOL, STOREFRONT);
        client.onBehalfOf(STOREFRONT).legacyLinkDomainPool("shop.example.org", LEGACY_POOL);
        forgetCalls();

        MailgunResponse response = client.revokePoolDelegation(LEGACY_POOL, STOREFRONT);

        assertThat(response.started()).isTrue();
        assertThat(response.referenceId()).matches("[0-9a-f]{24}");
        assertThat(pool(LEGACY_POOL).delegatedTo()).isEmpty();
        assertThat(domain("shop.example.org").poolId()).isNull();
        assertThat(client.onBehalfOf(STOREFRONT).legacyListDomainIps("shop.example.org"))
                .containsExactly(IP15);
        assertThat(client.onBehalfOf(STOREFRONT).listPools()).isEmpty();
        assertThat(domain("news.example.com").poolId()).isEqualTo(LEGACY_POOL);
        assertThat(calls().get(0)).isEqualTo("DELETE /v3/ip_pools/{pool_id}/delegate 200");
    }

    @Test
    void v3DelegationAllowsSeveralPoolsPerSubaccount() {
        String second =
                client.createPool(new NewPool("second", "d", List.of(IP13))).poolId();

        client.delegatePool(LEGACY_POOL, MARKETING);
        client.delegatePool(second, MARKETING);

        assertThat(client.onBehalfOf(MARKETING).listPools())
                .extracting(MailgunPool::poolId)
                .containsExactly(LEGACY_POOL, second);
        assertThat(client.listSubaccountPoolDelegations())
                .containsExactly(
                        new SubaccountPoolDelegation(STOREFRONT, null),
                        new SubaccountPoolDelegation(MARKETING, LEGACY_POOL),
                        new SubaccountPoolDelegation(MARKETING, second));
    }

    @Test
    void listSubaccountPoolDelegationsShowsSubaccountsWithoutPools() {
        assertThat(client.listSubaccountPoolDelegations())
                .containsExactly(
                        new SubaccountPoolDelegation(STOREFRONT, null), new SubaccountPoolDelegation(MARKETING, null));
        assertThat(calls()).containsExactly("GET /v5/accounts/subaccounts/ip_pools/all 200");
    }

    @Test
    void legacySetSubaccountPoolReplacesTheDelegatedPool() {
        String second =
                client.createPool(new NewPool("second", "d", List.of(IP13))).poolId();
        forgetCalls();

        MailgunResponse first = client.setSubaccountPool(MARKETING, LEGACY_POOL);
        assertThat(first.started()).isTrue();
        assertThat(pool(LEGACY_POOL).delegatedTo()).containsExactly(MARKETING);

        client.setSubaccountPool(MARKETING, second);

        assertThat(pool(LEGACY_POOL).delegatedTo()).isEmpty();
        assertThat(pool(second).delegatedTo()).containsExactly(MARKETING);
        assertThat(client.listSubaccountPoolDelegations())
                .contains(new SubaccountPoolDelegation(MARKETING, second))
                .doesNotContain(new SubaccountPoolDelegation(MARKETING, LEGACY_POOL));
        assertThat(calls())
                .startsWith(
                        "PUT /v5/accounts/subaccounts/{subaccount_id}/ip_pool 200",
                        "PUT /v5/accounts/subaccounts/{subaccount_id}/ip_pool 200");
        assertThat(emulator.journal().entries().get(0).path())
                .isEqualTo("/v5/accounts/subaccounts/" + MARKETING + "/ip_pool");
    }

    @Test
    void legacyRemoveSubaccountPoolRevokes() {
        client.setSubaccountPool(MARKETING, LEGACY_POOL);
        forgetCalls();

        MailgunResponse response = client.removeSubaccountPool(MARKETING, LEGACY_POOL);

        assertThat(response.started()).isTrue();
        assertThat(pool(LEGACY_POOL).delegatedTo()).isEmpty();
        assertThat(client.onBehalfOf(MARKETING).listPools()).isEmpty();
        JournalEntry call = emulator.journal().entries().get(0);
        assertThat(call.endpoint()).isEqualTo("DELETE /v5/accounts/subaccounts/{subaccount_id}/ip_pool");
        assertThat(call.query()).isEqualTo("pool_id=" + LEGACY_POOL);
        assertThat(call.status()).isEqualTo(200);
    }

    @Test
    void deletingADelegatedPoolHandsTheReplacementToItsSubaccounts() {
        String next = client.createPool(new NewPool("next", "d", List.of(IP13))).poolId();
        client.delegatePool(LEGACY_POOL, STOREFRONT);

        client.deletePool(LEGACY_POOL, Replacement.pool(next));

        assertThat(pool(next).delegatedTo()).containsExactly(STOREFRONT);
        assertThat(client.onBehalfOf(STOREFRONT).listPools()).singleElement().satisfies(p -> {
            assertThat(p.poolId()).isEqualTo(next);
            assertThat(p.inherited()).isTrue();
        });
    }
}
