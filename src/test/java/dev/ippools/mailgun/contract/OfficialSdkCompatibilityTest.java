package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.mailgun.api.MailgunApi;
import com.mailgun.api.v3.MailgunIPsApi;
import com.mailgun.api.v4.MailgunDomainsApi;
import com.mailgun.client.MailgunClient;
import com.mailgun.model.ResponseWithMessage;
import com.mailgun.model.domains.DomainRequest;
import com.mailgun.model.ips.IPResult;
import com.mailgun.model.ips.IPsResult;
import dev.ippools.mailgun.emulator.JournalEntry;
import feign.FeignException;
import feign.Headers;
import feign.Logger;
import feign.Param;
import feign.RequestLine;
import feign.Retryer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mailgun's official Java SDK ({@code com.mailgun:mailgun-java}), unchanged, against the emulator.
 * Its newest release (2.4.1) has no DIPP API ({@code MailgunIpPoolsApi} is not released), so pools
 * are reached through what it does have: the IP endpoints and linking a pool at domain creation.
 *
 * <p>Nor has it the warm-up API ({@code MailgunIpWarmupsApi} is in its sources, not released): the
 * warm-up calls go through the released SDK's client (its Feign setup, authentication, JSON
 * mapper with Java time types) with the request lines that API declares, {@link Warmups}.
 */
class OfficialSdkCompatibilityTest extends ContractSupport {

    /** The requests of the SDK's unreleased {@code MailgunIpWarmupsApi}. */
    @Headers("Accept: application/json")
    interface Warmups extends MailgunApi {
        @RequestLine("GET /ip_warmups")
        WarmupList list();

        @RequestLine("GET /ip_warmups/{addr}")
        WarmupDetails get(@Param("addr") String address);

        @RequestLine("POST /ip_warmups/{addr}")
        ResponseWithMessage start(@Param("addr") String address);

        @RequestLine("DELETE /ip_warmups/{addr}")
        ResponseWithMessage cancel(@Param("addr") String address);
    }

    record WarmupList(List<WarmupItem> items) {}

    record WarmupItem(
            String ip,
            @JsonProperty("stage_number") Integer stageNumber,
            @JsonProperty("sent_within_stage") String sentWithinStage,
            @JsonProperty("stage_start_time") Instant stageStartTime) {}

    record WarmupDetails(Details details) {}

    record Details(
            Integer stage,
            @JsonProperty("total_stages") Integer totalStages,
            @JsonProperty("plan_started_at") Instant planStartedAt,
            @JsonProperty("stage_history") List<Object> stageHistory) {}

    @Test
    void warmupsThroughTheSdksClient() {
        Warmups api = sdk(KEY).createApi(Warmups.class);

        WarmupList list = api.list();
        assertThat(list.items()).singleElement().satisfies(item -> {
            assertThat(item.ip()).isEqualTo(WARMING);
            assertThat(item.stageNumber()).isEqualTo(1);
            assertThat(item.sentWithinStage()).endsWith("%");
            assertThat(item.stageStartTime()).isNotNull();
        });
        Details details = api.get(WARMING).details();
        assertThat(details.stage()).isEqualTo(1);
        assertThat(details.totalStages()).isEqualTo(20);
        assertThat(details.planStartedAt()).isNotNull();
        assertThat(api.cancel(WARMING).getMessage()).isEqualTo("success");
        assertThat(api.start(WARMING).getMessage()).isEqualTo("success");
        FeignException twice = catchThrowableOfType(FeignException.class, () -> api.start(WARMING));

        assertThat(twice.status()).isEqualTo(400);
        assertThat(calls())
                .containsExactly(
                        "GET /v3/ip_warmups 200",
                        "GET /v3/ip_warmups/{addr} 200",
                        "DELETE /v3/ip_warmups/{addr} 200",
                        "POST /v3/ip_warmups/{addr} 200",
                        "POST /v3/ip_warmups/{addr} 400");
        // The project's client reads what the SDK started.
        assertThat(client.getWarmup(WARMING).stage()).isEqualTo(1);
    }

    private MailgunClient.MailgunClientBuilder sdk(String key) {
        return MailgunClient.config(emulator.url(), key)
                .logLevel(Logger.Level.NONE)
                .retryer(Retryer.NEVER_RETRY);
    }

    private MailgunIPsApi ipsApi() {
        return sdk(KEY).createApi(MailgunIPsApi.class);
    }

    @Test
    void listsAccountIps() {
        IPsResult all = ipsApi().getAllIPs();
        IPsResult dedicated = ipsApi().getDedicatedIPs(true);

        assertThat(all.getItems()).containsExactly(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17, SHARED);
        assertThat(all.getTotalCount()).isEqualTo(9);
        assertThat(dedicated.getItems()).isEqualTo(DEDICATED);
        assertThat(emulator.journal().entries())
                .extracting(e -> e.endpoint() + " " + e.status() + " " + e.query())
                .containsExactly("GET /v3/ips 200 null", "GET /v3/ips 200 dedicated=true");
    }

    @Test
    void readsOneIp() {
        IPResult ip = ipsApi().getSpecifiedIP(IP10);

        assertThat(ip.getIp()).isEqualTo(IP10);
        assertThat(ip.getRdns()).isEqualTo("mta10.mail.example.com");
        assertThat(ip.getDedicated()).isTrue();
        assertThat(calls()).containsExactly("GET /v3/ips/{ip} 200");
    }

    @Test
    void assignsAndRemovesDomainIps() {
        MailgunIPsApi api = ipsApi();

        assertThat(api.getDomainIPs("alerts.example.com").getItems()).containsExactly(IP12);
        ResponseWithMessage assigned = api.assignIPToDomain("alerts.example.com", IP13);
        assertThat(assigned.getMessage()).isEqualTo("success");
        assertThat(domain("alerts.example.com").ips()).containsExactly(IP12, IP13);

        ResponseWithMessage removed = api.unassignIPFromDomain("alerts.example.com", IP12);

        assertThat(removed.getMessage()).isEqualTo("success");
        assertThat(domain("alerts.example.com").ips()).containsExactly(IP13);
        assertThat(api.getDomainIPs("alerts.example.com").getItems()).containsExactly(IP13);
        assertThat(calls())
                .containsExactly(
                        "GET /v3/domains/{name}/ips 200",
                        "POST /v3/domains/{name}/ips 200",
                        "DELETE /v3/domains/{name}/ips/{ip} 200",
                        "GET /v3/domains/{name}/ips 200");
    }

    @Test
    void aDomainCreatedWithAPoolIdIsLinkedToThatPool() {
        MailgunDomainsApi domains = sdk(KEY).createApi(MailgunDomainsApi.class);

        domains.createNewDomain(DomainRequest.builder()
                .name("fresh.example.com")
                .poolId(LEGACY_POOL)
                .build());

        assertThat(domain("fresh.example.com").poolId()).isEqualTo(LEGACY_POOL);
        assertThat(ipsApi().getDomainIPs("fresh.example.com").getItems()).containsExactly(IP16, IP17);
        // The project's client sees the SDK's change.
        assertThat(client.getPool(LEGACY_POOL).linkedDomains())
                .containsExactly("news.example.com", "fresh.example.com");
        assertThat(emulator.journal().entries().get(0))
                .extracting(JournalEntry::endpoint, JournalEntry::status)
                .containsExactly("POST /v4/domains", 200);
    }

    @Test
    void mailgunErrorsReachTheSdkAsFeignExceptions() {
        FeignException notFound = catchThrowableOfType(FeignException.class, () -> ipsApi().getSpecifiedIP(UNKNOWN_IP));
        FeignException badKey = catchThrowableOfType(
                FeignException.class,
                () -> sdk("key-not-the-right-one")
                        .createApi(MailgunIPsApi.class)
                        .getAllIPs());

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.contentUTF8()).isEqualTo("{\"message\":\"ip not found\"}");
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(badKey.contentUTF8()).isEqualTo("Forbidden");
        assertThat(calls()).containsExactly("GET /v3/ips/{ip} 404", "GET /v3/ips 401");
    }

    @Test
    void theSdkAndTheProjectClientAgreeOnAccountIps() {
        List<String> sdkItems = ipsApi().getAllIPs().getItems();

        assertThat(client.listIps(null, null).items()).isEqualTo(sdkItems);
        assertThat(client.getIp(IP15).rdns())
                .isEqualTo(ipsApi().getSpecifiedIP(IP15).getRdns());
    }
}
