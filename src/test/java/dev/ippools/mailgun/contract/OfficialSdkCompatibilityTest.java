package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mailgun.api.v3.MailgunIPsApi;
import com.mailgun.api.v4.MailgunDomainsApi;
import com.mailgun.client.MailgunClient;
import com.mailgun.model.ResponseWithMessage;
import com.mailgun.model.domains.DomainRequest;
import com.mailgun.model.ips.IPResult;
import com.mailgun.model.ips.IPsResult;
import dev.ippools.mailgun.emulator.JournalEntry;
import feign.FeignException;
import feign.Logger;
import feign.Retryer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mailgun's official Java SDK ({@code com.mailgun:mailgun-java}), unchanged, against the emulator.
 * Its newest release (2.4.1) has no DIPP API ({@code MailgunIpPoolsApi} is not released), so pools
 * are reached through what it does have: the IP endpoints and linking a pool at domain creation.
 */
class OfficialSdkCompatibilityTest extends ContractSupport {

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

    assertThat(all.getItems())
        .containsExactly(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17, SHARED);
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

    domains.createNewDomain(
        DomainRequest.builder().name("fresh.example.com").poolId(LEGACY_POOL).build());

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
    FeignException notFound =
        catchThrowableOfType(FeignException.class, () -> ipsApi().getSpecifiedIP(UNKNOWN_IP));
    FeignException badKey =
        catchThrowableOfType(
            FeignException.class,
            () -> sdk("key-not-the-right-one").createApi(MailgunIPsApi.class).getAllIPs());

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
    assertThat(client.getIp(IP15).rdns()).isEqualTo(ipsApi().getSpecifiedIP(IP15).getRdns());
  }
}
