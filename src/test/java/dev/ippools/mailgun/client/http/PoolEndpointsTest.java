package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.ippools.mailgun.client.MailgunResponseException;
import dev.ippools.mailgun.client.model.CreatedPool;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.PoolDomain;
import dev.ippools.mailgun.client.model.PoolDomainsPage;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §2 dedicated IP pool endpoints: exact request shape and response parsing. */
class PoolEndpointsTest extends MockMailgun {

    static final String POOL = "658041ae44842b99ee2eaa1b";

    @Test
    void listPoolsReadsEveryPoolAndDefaultsMissingFields() throws Exception {
        enqueue(json("pools-list.json"));

        List<MailgunPool> pools = client().listPools();

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools");
        assertThat(request.getBodySize()).isZero();
        assertThat(request.getHeader("X-Mailgun-On-Behalf-Of")).isNull();
        assertThat(pools)
                .containsExactly(
                        new MailgunPool(
                                "60140bc1fee3e84dec5abeeb",
                                "short name of the dedicated IP pool",
                                "long description of the dedicated IP pool",
                                List.of("1.0.0.1", "1.0.0.2"),
                                true,
                                true),
                        new MailgunPool(
                                POOL,
                                "Good Reputation Senders Pool",
                                "good reputation senders here",
                                List.of("127.0.0.0"),
                                false,
                                false),
                        new MailgunPool("658041ae44842b99ee2eaa1c", "bare pool", null, List.of(), false, false));
    }

    @Test
    void getPoolReadsTheDetailsWrapper() throws Exception {
        enqueue(json("pool-details.json"));

        IpPoolDetails pool = client().getPool(POOL);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL);
        assertThat(pool)
                .isEqualTo(new IpPoolDetails(
                        POOL,
                        "DIPP's short name",
                        "A long description of the DIPP",
                        List.of("1.2.3.4", "5.6.7.8"),
                        false,
                        true,
                        List.of("a.example.com", "b.example.com")));
    }

    @Test
    void getPoolAcceptsIpsOutsideDetails() throws Exception {
        enqueue(json("pool-details-top-level-ips.json"));

        IpPoolDetails pool = client().getPool(POOL);

        assertThat(pool.ips()).containsExactly("1.2.3.4", "5.6.7.8");
        assertThat(pool.linkedDomains()).containsExactly("a.example.com");
        assertThat(pool.name()).isEqualTo("DIPP's short name");
    }

    @Test
    void getPoolAcceptsAFlatObject() throws Exception {
        enqueue(json("pool-details-flat.json"));

        IpPoolDetails pool = client().getPool(POOL);

        assertThat(pool)
                .isEqualTo(new IpPoolDetails(
                        POOL,
                        "DIPP's short name",
                        "A long description of the DIPP",
                        List.of("1.2.3.4"),
                        true,
                        true,
                        List.of("a.example.com")));
    }

    @Test
    void getPoolWithoutLinkedDomainsHasAnEmptyList() throws Exception {
        enqueue(json("pool-details-unlinked.json"));

        IpPoolDetails pool = client().getPool("658041ae44842b99ee2eaa1d");

        assertThat(pool.linkedDomains()).isEmpty();
        assertThat(pool.linked()).isFalse();
        assertThat(pool.ips()).isEmpty();
    }

    @Test
    void getPoolWithoutPoolIdInTheBodyKeepsTheRequestedId() throws Exception {
        enqueue(jsonBody("{\"details\":{\"name\":\"n\",\"ips\":[\"1.2.3.4\"]}}"));

        IpPoolDetails pool = client().getPool(POOL);

        assertThat(pool.poolId()).isEqualTo(POOL);
        assertThat(pool.ips()).containsExactly("1.2.3.4");
    }

    @Test
    void createPoolSendsMultipartWithRepeatedIpFields() throws Exception {
        enqueue(json("pool-created.json"));

        CreatedPool created =
                client().createPool(new NewPool("senders", "managed by test", List.of("1.2.3.4", "5.6.7.8")));

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools");
        assertThat(multipartFields(request))
                .containsExactly(
                        entry("name", "senders"),
                        entry("description", "managed by test"),
                        entry("ip", "1.2.3.4"),
                        entry("ip", "5.6.7.8"));
        assertThat(created).isEqualTo(new CreatedPool(POOL, "success"));
    }

    @Test
    void createPoolWithoutIpsSendsOnlyNameAndDescription() throws Exception {
        enqueue(json("pool-created.json"));

        client().createPool(new NewPool("senders", "d", null));

        assertThat(multipartFields(take())).containsExactly(entry("name", "senders"), entry("description", "d"));
    }

    @Test
    void createPoolAnswerWithoutPoolIdIsAResponseError() {
        enqueue(json("success.json"));

        assertThatThrownBy(() -> client().createPool(new NewPool("n", "d", List.of())))
                .isInstanceOf(MailgunResponseException.class)
                .hasMessageContaining("POST /v3/ip_pools")
                .hasMessageContaining("pool_id");
    }

    @Test
    void updatePoolSendsEveryChangeAsRepeatedMultipartFields() throws Exception {
        enqueue(json("started-with-reference.json"));

        MailgunResponse response = client().updatePool(
                        POOL,
                        new PoolChange(
                                "new name",
                                "new description",
                                List.of("1.1.1.1", "2.2.2.2"),
                                List.of("3.3.3.3", "4.4.4.4"),
                                List.of("68d17866ba9d5506cbc2e275", "68d17866ba9d5506cbc2e276"),
                                List.of("68d17866ba9d5506cbc2e277", "68d17866ba9d5506cbc2e278")));

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL);
        assertThat(multipartFields(request))
                .containsExactly(
                        entry("name", "new name"),
                        entry("description", "new description"),
                        entry("add_ip", "1.1.1.1"),
                        entry("add_ip", "2.2.2.2"),
                        entry("remove_ip", "3.3.3.3"),
                        entry("remove_ip", "4.4.4.4"),
                        entry("link_domain", "68d17866ba9d5506cbc2e275"),
                        entry("link_domain", "68d17866ba9d5506cbc2e276"),
                        entry("unlink_domain", "68d17866ba9d5506cbc2e277"),
                        entry("unlink_domain", "68d17866ba9d5506cbc2e278"));
        assertThat(response).isEqualTo(new MailgunResponse("started", "61926093321d1cba88f3b95b"));
        assertThat(response.started()).isTrue();
    }

    @Test
    void updatePoolLeavesOutNullAndEmptyFields() throws Exception {
        enqueue(json("success.json"));

        MailgunResponse response =
                client().updatePool(POOL, new PoolChange(null, "only this", List.of(), null, null, null));

        assertThat(multipartFields(take())).containsExactly(entry("description", "only this"));
        assertThat(response).isEqualTo(new MailgunResponse("success", null));
        assertThat(response.started()).isFalse();
    }

    @Test
    void updatePoolThatChangesNothingIsRefusedWithoutACall() {
        assertThatThrownBy(() -> client().updatePool(POOL, new PoolChange(null, "", List.of(), null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void deletePoolWithoutReplacementSendsNoParameters() throws Exception {
        enqueue(json("started.json"));

        MailgunResponse response = client().deletePool(POOL, Replacement.NONE);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL);
        assertThat(request.getBodySize()).isZero();
        assertThat(response.message()).isEqualTo("started");
        assertThat(response.referenceId()).isNull();
    }

    @Test
    void deletePoolSendsTheReplacementAsQueryParameters() throws Exception {
        enqueue(json("started-with-reference.json"), json("started.json"), json("started.json"));

        client().deletePool(POOL, Replacement.ip("2001:db8::1"));
        client().deletePool(POOL, Replacement.shared());
        client().deletePool(POOL, Replacement.pool("60140bc1fee3e84dec5abeeb"));

        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/" + POOL + "?ip=2001%3Adb8%3A%3A1");
        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/" + POOL + "?ip=shared");
        RecordedRequest byPool = take();
        assertThat(byPool.getPath()).isEqualTo("/v3/ip_pools/" + POOL + "?pool_id=60140bc1fee3e84dec5abeeb");
        assertThat(byPool.getBodySize()).isZero();
    }

    @Test
    void deletePoolRefusesTwoReplacements() {
        assertThatThrownBy(() -> client().deletePool(POOL, new Replacement("1.2.3.4", "p")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void listPoolDomainsSendsLimitAndPageAndExtractsTheNextToken() throws Exception {
        enqueue(json("pool-domains.json"), json("pool-domains.json"));
        OkHttpMailgunClient client = client();

        PoolDomainsPage first = client.listPoolDomains(POOL, 10, null);
        client.listPoolDomains(POOL, 10, first.nextPage());

        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/domains?limit=10");
        RecordedRequest second = take();
        assertThat(second.getMethod()).isEqualTo("GET");
        assertThat(second.getRequestUrl().queryParameter("page")).isEqualTo("eyJjIjoibmV4dCJ9");
        assertThat(second.getRequestUrl().queryParameter("limit")).isEqualTo("10");
        assertThat(first.domains())
                .containsExactly(
                        new PoolDomain("68d17866ba9d5506cbc2e275", "example1.com"),
                        new PoolDomain("68d17866ba9d5506cbc2e276", "example2.com"));
        assertThat(first.nextPage()).isEqualTo("eyJjIjoibmV4dCJ9");
    }

    @Test
    void listPoolDomainsWithoutPagingHasNoNextPage() throws Exception {
        enqueue(jsonBody("{\"domains\":[]}"));

        PoolDomainsPage page = client().listPoolDomains(POOL, 10, null);

        assertThat(page.domains()).isEmpty();
        assertThat(page.nextPage()).isNull();
    }

    @Test
    void listAllPoolDomainsFollowsTheCursorAndStopsOnAShortPageEvenIfNextIsThere() throws Exception {
        enqueue(
                jsonBody(domainsPage(0, 500, "tok-2")),
                jsonBody(domainsPage(500, 500, "tok-3")),
                jsonBody(domainsPage(1000, 7, "tok-4")));

        List<PoolDomain> all = client().listAllPoolDomains(POOL);

        assertThat(all).hasSize(1007);
        assertThat(all.get(0)).isEqualTo(new PoolDomain("id-0", "d0.example.com"));
        assertThat(all.get(1006)).isEqualTo(new PoolDomain("id-1006", "d1006.example.com"));
        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/domains?limit=500");
        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/domains?limit=500&page=tok-2");
        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/domains?limit=500&page=tok-3");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void listAllPoolDomainsStopsOnAnEmptyPage() throws Exception {
        enqueue(jsonBody(domainsPage(0, 500, "tok-2")), jsonBody(domainsPage(500, 0, "tok-3")));

        assertThat(client().listAllPoolDomains(POOL)).hasSize(500);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void listAllPoolDomainsStopsWhenAFullPageHasNoCursor() throws Exception {
        enqueue(jsonBody(domainsPage(0, 500, null)));

        assertThat(client().listAllPoolDomains(POOL)).hasSize(500);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void listAllPoolDomainsRefusesACursorThatRepeats() {
        enqueue(
                jsonBody(domainsPage(0, 500, "same")),
                jsonBody(domainsPage(500, 500, "same")),
                jsonBody(domainsPage(1000, 500, "same")));

        assertThatThrownBy(() -> client().listAllPoolDomains(POOL))
                .isInstanceOf(MailgunResponseException.class)
                .hasMessageContaining("cursor");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "2001:db8::1"})
    void addPoolIpPutsTheEncodedIpInThePath(String ip) throws Exception {
        enqueue(json("started.json"));

        MailgunResponse response = client().addPoolIp(POOL, ip);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("PUT");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/ips/" + ip.replace(":", "%3A"));
        assertThat(request.getBodySize()).isZero();
        assertThat(response.started()).isTrue();
    }

    @Test
    void addPoolIpsPostsAJsonBody() throws Exception {
        enqueue(json("started-with-reference.json"));

        MailgunResponse response = client().addPoolIps(POOL, List.of("1.2.3.4", "2001:db8::1"));

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/ips.json");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(body(request)).isEqualTo("{\"ips\":[\"1.2.3.4\",\"2001:db8::1\"]}");
        assertThat(response.referenceId()).isEqualTo("61926093321d1cba88f3b95b");
    }

    @Test
    void addPoolIpsRefusesAnEmptyList() {
        assertThatThrownBy(() -> client().addPoolIps(POOL, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removePoolIpDeletesTheEncodedIp() throws Exception {
        enqueue(json("started.json"));

        client().removePoolIp(POOL, "2001:db8::1");

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/ips/2001%3Adb8%3A%3A1");
        assertThat(request.getBodySize()).isZero();
    }

    @Test
    void delegatePoolPutsSubaccountIdAsMultipart() throws Exception {
        enqueue(json("success.json"));

        MailgunResponse response = client().delegatePool(POOL, "646d00a1b32c35364a2ad34f");

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("PUT");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/delegate");
        assertThat(multipartFields(request)).containsExactly(entry("subaccount_id", "646d00a1b32c35364a2ad34f"));
        assertThat(response.message()).isEqualTo("success");
    }

    @Test
    void revokePoolDelegationSendsSubaccountIdInAUrlEncodedDeleteBody() throws Exception {
        enqueue(json("started-with-reference.json"), json("success.json"));

        MailgunResponse started = client().revokePoolDelegation(POOL, "646d00a1b32c35364a2ad34f");
        MailgunResponse success = client().revokePoolDelegation(POOL, "646d00a1b32c35364a2ad34f");

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo("/v3/ip_pools/" + POOL + "/delegate");
        assertThat(urlEncodedFields(request)).containsExactly(entry("subaccount_id", "646d00a1b32c35364a2ad34f"));
        assertThat(started.started()).isTrue();
        assertThat(success.message()).isEqualTo("success");
    }

    @Test
    void listSubaccountPoolDelegationsKeepsNullPools() throws Exception {
        enqueue(json("subaccount-pools.json"));

        List<SubaccountPoolDelegation> delegations = client().listSubaccountPoolDelegations();

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo("/v5/accounts/subaccounts/ip_pools/all");
        assertThat(delegations)
                .containsExactly(
                        new SubaccountPoolDelegation("646d00a1b32c35364a2ad34f", POOL),
                        new SubaccountPoolDelegation("646d00a1b32c35364a2ad350", null));
    }

    @Test
    void setSubaccountPoolPutsPoolIdAsMultipart() throws Exception {
        enqueue(json("started-with-reference.json"));

        MailgunResponse response = client().setSubaccountPool("646d00a1b32c35364a2ad34f", POOL);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("PUT");
        assertThat(request.getPath()).isEqualTo("/v5/accounts/subaccounts/646d00a1b32c35364a2ad34f/ip_pool");
        assertThat(multipartFields(request)).containsExactly(entry("pool_id", POOL));
        assertThat(response.started()).isTrue();
    }

    @Test
    void removeSubaccountPoolSendsPoolIdAsQuery() throws Exception {
        enqueue(json("started-with-reference.json"));

        client().removeSubaccountPool("646d00a1b32c35364a2ad34f", POOL);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath())
                .isEqualTo("/v5/accounts/subaccounts/646d00a1b32c35364a2ad34f/ip_pool?pool_id=" + POOL);
        assertThat(request.getBodySize()).isZero();
    }

    @Test
    void writesAcceptQueuedAndEmptyAnswers() {
        enqueue(json("queued.json"), jsonBody(""));
        OkHttpMailgunClient client = client();

        assertThat(client.removePoolIp(POOL, "1.2.3.4").started()).isTrue();
        assertThat(client.removePoolIp(POOL, "1.2.3.4")).isEqualTo(new MailgunResponse(null, null));
    }

    @Test
    void pathVariablesThatCouldEscapeThePathAreRefused() {
        assertThatThrownBy(() -> client().getPool("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client().getPool(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void slashesInPathVariablesAreEncoded() throws Exception {
        enqueue(json("pool-details.json"));

        client().getPool("a/b");

        assertThat(take().getPath()).isEqualTo("/v3/ip_pools/a%2Fb");
    }

    private static String domainsPage(int from, int count, String nextToken) {
        String domains = IntStream.range(from, from + count)
                .mapToObj(i -> "{\"id\":\"id-" + i + "\",\"name\":\"d" + i + ".example.com\"}")
                .collect(Collectors.joining(","));
        String paging = nextToken == null
                ? "{\"first\":\"https://api.mailgun.net/v3/ip_pools/" + POOL + "/domains?page=first\"}"
                : "{\"first\":\"https://api.mailgun.net/v3/ip_pools/"
                        + POOL
                        + "/domains?page=first\",\"next\":\"https://api.mailgun.net/v3/ip_pools/"
                        + POOL
                        + "/domains?page="
                        + nextToken
                        + "\"}";
        return "{\"paging\":" + paging + ",\"domains\":[" + domains + "]}";
    }
}
