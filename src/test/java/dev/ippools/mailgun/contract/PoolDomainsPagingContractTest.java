package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolDomain;
import dev.ippools.mailgun.client.model.PoolDomainsPage;
import dev.ippools.mailgun.emulator.AccountFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code GET /v3/ip_pools/{id}/domains}: the client follows the emulator's cursor pages. */
class PoolDomainsPagingContractTest extends ContractSupport {

    private static final String POOL = "64b0c0ffee00000000000010";
    private static final String LIST_DOMAINS = "GET /v3/ip_pools/{pool_id}/domains 200";

    /** An account whose one pool is linked to {@code count} domains d0001.example.com, ... */
    static AccountFixture poolLinkedTo(int count) {
        StringBuilder yaml = new StringBuilder("""
            accountId: 5f0c1a2b3c4d5e6f70819203
            ips:
              - {ip: 198.51.100.10}
            pools:
              - {id: %s, name: busy, ips: [198.51.100.10]}
            domains:
            """.formatted(POOL));
        for (String name : names(count)) {
            yaml.append("  - {name: ").append(name).append(", pool: busy}\n");
        }
        return AccountFixture.parse(yaml.toString());
    }

    static List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(String.format(Locale.ROOT, "d%04d.example.com", i));
        }
        return names;
    }

    @Test
    void pagesOfTenFollowTheCursor() {
        restartWith(poolLinkedTo(25));

        PoolDomainsPage first = client.listPoolDomains(POOL, 10, null);
        PoolDomainsPage second = client.listPoolDomains(POOL, 10, first.nextPage());
        PoolDomainsPage third = client.listPoolDomains(POOL, 10, second.nextPage());

        List<String> expected = names(25);
        assertThat(first.domains()).extracting(PoolDomain::name).isEqualTo(expected.subList(0, 10));
        assertThat(second.domains()).extracting(PoolDomain::name).isEqualTo(expected.subList(10, 20));
        assertThat(third.domains()).extracting(PoolDomain::name).isEqualTo(expected.subList(20, 25));
        assertThat(first.nextPage()).isNotBlank().isNotEqualTo(second.nextPage());
        assertThat(first.domains())
                .extracting(PoolDomain::id)
                .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{24}"))
                .first()
                .isEqualTo(domainId("d0001.example.com"));
        assertThat(calls()).containsExactly(LIST_DOMAINS, LIST_DOMAINS, LIST_DOMAINS);
        assertThat(emulator.journal().entries().get(0).query()).isEqualTo("limit=10");
        assertThat(emulator.journal().entries().get(1).query()).isEqualTo("limit=10&page=" + first.nextPage());
    }

    @Test
    void listAllFollowsPagesOfFiveHundredUntilAShortOne() {
        restartWith(poolLinkedTo(630));

        List<PoolDomain> all = client.listAllPoolDomains(POOL);

        assertThat(all).extracting(PoolDomain::name).isEqualTo(names(630));
        assertThat(all).extracting(PoolDomain::id).doesNotHaveDuplicates();
        assertThat(state().pool(POOL).orElseThrow().linkedDomains()).hasSize(630);
        assertThat(calls()).containsExactly(LIST_DOMAINS, LIST_DOMAINS);
        assertThat(emulator.journal().entries().get(0).query()).isEqualTo("limit=500");
    }

    @Test
    void listAllStopsOnAnEmptyPageAfterFullOnes() {
        restartWith(poolLinkedTo(1000));

        List<PoolDomain> all = client.listAllPoolDomains(POOL);

        assertThat(all).extracting(PoolDomain::name).isEqualTo(names(1000));
        assertThat(calls()).containsExactly(LIST_DOMAINS, LIST_DOMAINS, LIST_DOMAINS);
    }

    @Test
    void aPoolWithoutDomainsIsOneEmptyPage() {
        String empty =
                client.createPool(new NewPool("idle", "d", List.of(IP13))).poolId();

        assertThat(client.listAllPoolDomains(empty)).isEmpty();
        assertThat(client.listPoolDomains(empty, 10, null).domains()).isEmpty();
    }
}
