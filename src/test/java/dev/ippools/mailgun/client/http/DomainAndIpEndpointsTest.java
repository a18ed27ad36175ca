package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.AccountIp;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.IpDomains;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.Replacement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** §3 domain IP and §4 account IP endpoints, plus the headers every call carries. */
class DomainAndIpEndpointsTest extends MockMailgun {

    static final String DOMAIN = "mail.example.com";
    static final String POOL = "658041ae44842b99ee2eaa1b";

    @Test
    void listDomainIpsReadsItems() throws Exception {
        enqueue(json("domain-ips.json"));

        List<String> ips = client().legacyListDomainIps(DOMAIN);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo("/v3/domains/mail.example.com/ips");
        assertThat(ips).containsExactly("192.161.0.1", "192.168.0.2");
    }

    @Test
    void listDomainIpsAlsoReadsObjectItems() throws Exception {
        enqueue(jsonBody("{\"items\":[{\"ip\":\"1.2.3.4\"},\"5.6.7.8\"],\"total_count\":2}"));

        assertThat(client().legacyListDomainIps(DOMAIN)).containsExactly("1.2.3.4", "5.6.7.8");
    }

    @Test
    void assignDomainIpPostsIpAsMultipart() throws Exception {
        enqueue(json("success.json"));

        MailgunResponse response = client().legacyAssignDomainIp(DOMAIN, "1.2.3.4");

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v3/domains/mail.example.com/ips");
        assertThat(multipartFields(request)).containsExactly(entry("ip", "1.2.3.4"));
        assertThat(response.message()).isEqualTo("success");
    }

    @Test
    void linkDomainPoolPostsOnlyPoolId() throws Exception {
        enqueue(json("success.json"));

        client().legacyLinkDomainPool(DOMAIN, POOL);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v3/domains/mail.example.com/ips");
        assertThat(multipartFields(request)).containsExactly(entry("pool_id", POOL));
    }

    @Test
    void removeDomainIpDeletesTheEncodedIpWithOptionalReplacement() throws Exception {
        enqueue(json("success.json"), json("success.json"));
        OkHttpMailgunClient client = client();

        client.legacyRemoveDomainIp(DOMAIN, "2001:db8::1", Replacement.NONE);
        client.legacyRemoveDomainIp(DOMAIN, "1.2.3.4", Replacement.ip("5.6.7.8"));

        RecordedRequest plain = take();
        assertThat(plain.getMethod()).isEqualTo("DELETE");
        assertThat(plain.getPath()).isEqualTo("/v3/domains/mail.example.com/ips/2001%3Adb8%3A%3A1");
        assertThat(plain.getBodySize()).isZero();
        RecordedRequest replaced = take();
        assertThat(replaced.getPath()).isEqualTo("/v3/domains/mail.example.com/ips/1.2.3.4?ip=5.6.7.8");
    }

    @Test
    void removeDomainIpRefusesTheSpecialPathValues() {
        assertThatThrownBy(() -> client().legacyRemoveDomainIp(DOMAIN, "all", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client().legacyRemoveDomainIp(DOMAIN, "ip_pool", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void removeDomainPoolDeletesAll() throws Exception {
        enqueue(json("success.json"));

        client().legacyRemoveDomainPool(DOMAIN);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo("/v3/domains/mail.example.com/ips/all");
    }

    @Test
    void unlinkDomainPoolSendsExactlyOneReplacementAsQuery() throws Exception {
        enqueue(json("success.json"), json("success.json"), json("success.json"));
        OkHttpMailgunClient client = client();

        client.legacyUnlinkDomainPool(DOMAIN, Replacement.ip("1.2.3.4"));
        client.legacyUnlinkDomainPool(DOMAIN, Replacement.shared());
        client.legacyUnlinkDomainPool(DOMAIN, Replacement.pool(POOL));

        RecordedRequest byIp = take();
        assertThat(byIp.getMethod()).isEqualTo("DELETE");
        assertThat(byIp.getPath()).isEqualTo("/v3/domains/mail.example.com/ips/ip_pool?ip=1.2.3.4");
        assertThat(take().getPath()).isEqualTo("/v3/domains/mail.example.com/ips/ip_pool?ip=shared");
        assertThat(take().getPath()).isEqualTo("/v3/domains/mail.example.com/ips/ip_pool?pool_id=" + POOL);
    }

    @Test
    void unlinkDomainPoolWithoutReplacementIsRefusedWithoutACall() {
        assertThatThrownBy(() -> client().legacyUnlinkDomainPool(DOMAIN, Replacement.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client().legacyUnlinkDomainPool(DOMAIN, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void listIpsSendsFiltersAndReadsAssignability() throws Exception {
        enqueue(json("ips.json"), json("ips.json"));
        OkHttpMailgunClient client = client();

        AccountIps ips = client.listIps(true, false);
        client.listIps(null, null);

        RecordedRequest filtered = take();
        assertThat(filtered.getMethod()).isEqualTo("GET");
        assertThat(filtered.getPath()).isEqualTo("/v3/ips?dedicated=true&enabled=false");
        assertThat(take().getPath()).isEqualTo("/v3/ips");
        assertThat(ips)
                .isEqualTo(new AccountIps(
                        List.of("1.2.3.4", "5.6.7.8"),
                        List.of(new AccountIps.IpDetail("1.2.3.4", true), new AccountIps.IpDetail("5.6.7.8", false)),
                        List.of("5.6.7.8"),
                        2));
        assertThat(ips.dippsEnabled()).isTrue();
    }

    @Test
    void listIpsWithoutAssignableFieldMeansTheFeatureIsOff() {
        enqueue(json("ips-without-dipps.json"));

        AccountIps ips = client().listIps(true, null);

        assertThat(ips.assignableToPools()).isNull();
        assertThat(ips.dippsEnabled()).isFalse();
        assertThat(ips.details()).containsExactly(new AccountIps.IpDetail("1.2.3.4", false));
        assertThat(ips.totalCount()).isEqualTo(1);
    }

    @Test
    void listIpsWithEmptyAssignableListMeansFeatureOnButNothingFree() {
        enqueue(jsonBody("{\"items\":[\"1.2.3.4\"],\"assignable_to_pools\":[]}"));

        AccountIps ips = client().listIps(null, null);

        assertThat(ips.dippsEnabled()).isTrue();
        assertThat(ips.assignableToPools()).isEmpty();
        assertThat(ips.totalCount()).isEqualTo(1);
    }

    @Test
    void getIpReadsTheIp() throws Exception {
        enqueue(json("ip.json"));

        AccountIp ip = client().getIp("1.2.3.4");

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo("/v3/ips/1.2.3.4");
        assertThat(ip).isEqualTo(new AccountIp("1.2.3.4", "ip1-2-3-4.mailgun.net", true));
    }

    @Test
    void getIpEncodesIpv6() throws Exception {
        enqueue(jsonBody("{\"ip\":\"2001:db8::1\",\"rdns\":\"x\"}"));

        AccountIp ip = client().getIp("2001:db8::1");

        assertThat(take().getPath()).isEqualTo("/v3/ips/2001%3Adb8%3A%3A1");
        assertThat(ip.dedicated()).isFalse();
    }

    @Test
    void listIpDomainsSendsOnlyGivenParameters() throws Exception {
        enqueue(json("ip-domains.json"), json("ip-domains.json"));
        OkHttpMailgunClient client = client();

        IpDomains domains = client.listIpDomains("1.2.3.4", 100, 200, "one two");
        client.listIpDomains("1.2.3.4", null, null, null);

        RecordedRequest full = take();
        assertThat(full.getMethod()).isEqualTo("GET");
        assertThat(full.getPath()).isEqualTo("/v3/ips/1.2.3.4/domains?limit=100&skip=200&search=one%20two");
        assertThat(take().getPath()).isEqualTo("/v3/ips/1.2.3.4/domains");
        assertThat(domains)
                .isEqualTo(new IpDomains(
                        List.of(
                                new IpDomains.Item("one.example.com", List.of("1.2.3.4", "5.6.7.8")),
                                new IpDomains.Item("two.example.com", List.of("1.2.3.4"))),
                        2));
    }

    @Test
    void subaccountFromOptionsIsSentOnEveryCall() throws Exception {
        enqueue(json("pools-list.json"), json("success.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(
                options().subaccountId("646d00a1b32c35364a2ad34f").build());

        client.listPools();
        client.legacyAssignDomainIp(DOMAIN, "1.2.3.4");

        assertThat(take().getHeader("X-Mailgun-On-Behalf-Of")).isEqualTo("646d00a1b32c35364a2ad34f");
        assertThat(take().getHeader("X-Mailgun-On-Behalf-Of")).isEqualTo("646d00a1b32c35364a2ad34f");
    }

    @Test
    void onBehalfOfAddsTheHeaderWithoutChangingTheParent() throws Exception {
        enqueue(json("pools-list.json"), json("pools-list.json"), json("pools-list.json"));
        OkHttpMailgunClient parent = client();
        MailgunClient sub = parent.onBehalfOf("646d00a1b32c35364a2ad34f");

        sub.listPools();
        parent.listPools();
        sub.close();
        sub.onBehalfOf("646d00a1b32c35364a2ad350").listPools();

        assertThat(take().getHeader("X-Mailgun-On-Behalf-Of")).isEqualTo("646d00a1b32c35364a2ad34f");
        assertThat(take().getHeader("X-Mailgun-On-Behalf-Of")).isNull();
        assertThat(take().getHeader("X-Mailgun-On-Behalf-Of")).isEqualTo("646d00a1b32c35364a2ad350");
        assertThat(listener.calls()).hasSize(3);
    }

    @Test
    void everyCallReadsTheCurrentKeySoRotationNeedsNoRestart() throws Exception {
        enqueue(json("pools-list.json"), json("pools-list.json"));
        AtomicReference<String> key = new AtomicReference<>("first-key-0123456789");
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().apiKey(key::get).build());

        client.listPools();
        key.set("second-key-0123456789");
        client.listPools();

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(first.getHeader("Authorization"))
                .isEqualTo(okhttp3.Credentials.basic("api", "first-key-0123456789"));
        assertThat(second.getHeader("Authorization"))
                .isEqualTo(okhttp3.Credentials.basic("api", "second-key-0123456789"));
        assertThat(second.getHeader("Accept")).isEqualTo("application/json");
    }

    @Test
    void aMissingKeyFailsBeforeAnyCall() {
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().apiKey(() -> " ").build());

        assertThatThrownBy(client::listPools).isInstanceOf(IllegalStateException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void listenerSeesEndpointTemplatesNotConcretePaths() {
        enqueue(json("pool-details.json"), json("started.json"));
        OkHttpMailgunClient client = client();

        client.getPool(POOL);
        client.removePoolIp(POOL, "1.2.3.4");

        assertThat(listener.calls())
                .extracting(c -> c.method() + "|" + c.endpoint() + "|" + c.status())
                .containsExactly(
                        "GET|GET /v3/ip_pools/{pool_id}|200", "DELETE|DELETE /v3/ip_pools/{pool_id}/ips/{ip}|200");
        assertThat(listener.calls())
                .allSatisfy(c -> assertThat(c.latency().isNegative()).isFalse());
    }
}
