package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.AccountDomain;
import dev.ippools.mailgun.client.model.AccountDomainsPage;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.PoolDomain;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The current endpoints batched links use: domain ids by page, several link_domain at once. */
class BatchedLinksContractTest extends ContractSupport {

    @Test
    void domainIdsComePageByPageFromV4Domains() {
        AccountDomainsPage first = client.listDomains(2, 0);
        AccountDomainsPage second = client.listDomains(2, 2);

        assertThat(first.totalCount()).isEqualTo(4);
        assertThat(first.items()).hasSize(2);
        assertThat(second.items()).hasSize(2).doesNotContainAnyElementsOf(first.items());
        assertThat(client.listAllDomains())
                .extracting(AccountDomain::name)
                .containsExactlyInAnyOrder(
                        "mail.example.com", "news.example.com", "alerts.example.com", "billing.example.com");
        assertThat(client.listAllDomains()).allSatisfy(d -> assertThat(d.id()).isEqualTo(domainId(d.name())));
    }

    @Test
    void awaitingCapacityCallsNothingAndTakesNoPermit() throws Exception {
        try (MailgunClient onePermit = OkHttpMailgunClient.create(
                clientOptions().rateLimiter(AccountRateLimiter.create(0.1, 1)).build())) {
            onePermit.rateLimiter().awaitSpare(Instant.MIN);
            onePermit.rateLimiter().awaitSpare(Instant.MIN);
            onePermit.listPools();

            assertThat(calls()).containsExactly("GET /v3/ip_pools 200");
            // Had a permit been taken, the call would have waited ten seconds for the next one.
            assertThat(listener.rateLimitWaits())
                    .allSatisfy(w -> assertThat(w).isLessThan(java.time.Duration.ofSeconds(1)));
        }
    }

    @Test
    void onePatchLinksSeveralDomainsByIdAndThePoolListsThemAllOnceSettled() {
        emulator.setPropagationDelay(java.time.Duration.ofMinutes(5));
        MailgunResponse response = client.updatePool(
                LEGACY_POOL,
                new PoolChange(
                        null,
                        null,
                        null,
                        null,
                        List.of(
                                domainId("mail.example.com"),
                                domainId("alerts.example.com"),
                                domainId("billing.example.com")),
                        null));

        assertThat(response.started()).isTrue();
        assertThat(client.listAllPoolDomains(LEGACY_POOL))
                .extracting(PoolDomain::name)
                .containsExactly("news.example.com");
        emulator.settle();
        assertThat(client.listAllPoolDomains(LEGACY_POOL))
                .extracting(PoolDomain::name)
                .containsExactlyInAnyOrder(
                        "mail.example.com", "news.example.com", "alerts.example.com", "billing.example.com");
        assertThat(calls())
                .containsExactly(
                        "PATCH /v3/ip_pools/{pool_id} 200",
                        "GET /v3/ip_pools/{pool_id}/domains 200",
                        "GET /v3/ip_pools/{pool_id}/domains 200");
    }

    @Test
    void theDeferrableViewIsTheSameAccountWithTheSameLimiter() {
        MailgunClient batch = client.deferrable();
        batch.updatePool(
                LEGACY_POOL, new PoolChange(null, null, null, null, List.of(domainId("alerts.example.com")), null));

        assertThat(batch.rateLimiter()).isSameAs(client.rateLimiter());
        assertThat(batch.listPools()).isEqualTo(client.listPools());
        assertThat(calls())
                .containsExactly("PATCH /v3/ip_pools/{pool_id} 200", "GET /v3/ip_pools 200", "GET /v3/ip_pools 200");
    }
}
