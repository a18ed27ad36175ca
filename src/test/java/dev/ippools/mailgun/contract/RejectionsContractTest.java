package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorSnapshot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of reference §6 a client caller can break ends as a {@link MailgunApiException} with
 * Mailgun's status and message, is not retried, is not transient, and leaves the account as it was.
 */
class RejectionsContractTest extends ContractSupport {

    static final String LINKED = "64b0c0ffee00000000000001";
    static final String EMPTY = "64b0c0ffee00000000000002";
    static final String DELEGATED = "64b0c0ffee00000000000003";
    static final String UNKNOWN_SUBACCOUNT = "6a1b2c3d4e5f60718293a4ff";

    /** Not eligible for shared IPs, so the shared-IP rules can be broken too. */
    static final AccountFixture RULES_FIXTURE = AccountFixture.parse("""
          accountId: 5f0c1a2b3c4d5e6f70819203
          features: {dipps: true, sharedIpEligible: false}
          ips:
            - {ip: 198.51.100.10}
            - {ip: 198.51.100.11}
            - {ip: 198.51.100.12}
            - {ip: 198.51.100.13}
            - {ip: 198.51.100.14, warmup: true}
            - {ip: 198.51.100.15}
            - {ip: 198.51.100.16}
            - {ip: 198.51.100.17}
            - {ip: 203.0.113.5, dedicated: false}
          pools:
            - {id: 64b0c0ffee00000000000001, name: linked, ips: [198.51.100.16]}
            - {id: 64b0c0ffee00000000000002, name: empty}
            - id: 64b0c0ffee00000000000003
              name: delegated
              ips: [198.51.100.17]
              delegatedTo: [6a1b2c3d4e5f60718293a4b5]
          domains:
            - {name: mail.example.com, ips: [198.51.100.10]}
            - {name: news.example.com, pool: linked}
            - {name: alerts.example.com, ips: [198.51.100.12, 198.51.100.13]}
          subaccounts:
            - id: 6a1b2c3d4e5f60718293a4b5
              name: storefront
              ips: [198.51.100.15]
              domains:
                - {name: shop.example.org, ips: [198.51.100.15]}
          """);

    static final AccountFixture NO_DIPPS_FIXTURE = AccountFixture.parse("""
          accountId: 5f0c1a2b3c4d5e6f70819203
          features: {dipps: false}
          ips:
            - {ip: 198.51.100.10}
            - {ip: 198.51.100.11}
          pools:
            - {id: 64b0c0ffee00000000000001, name: linked, ips: [198.51.100.11]}
          domains:
            - {name: mail.example.com, ips: [198.51.100.10]}
            - {name: news.example.com, pool: linked}
          """);

    @FunctionalInterface
    interface Call {
        Object on(MailgunClient client);
    }

    static Arguments rejected(String rule, Call call, int status, String message) {
        return Arguments.of(rule, call, status, message);
    }

    @BeforeEach
    void loadRulesFixture() {
        restartWith(RULES_FIXTURE);
    }

    static Stream<Arguments> rejections() {
        String otherPool = "IP " + IP16 + " belongs to another pool";
        String inherited = "inherited pool cannot be modified";
        String notEligibleForShared = "the account is not eligible for shared IPs";
        String keepOneIp = "ip pool is linked to domains and must keep at least one IP";
        String newsFrozen =
                "domain news.example.com is linked to ip pool " + LINKED + "; its IPs cannot be changed" + " directly";
        String emptyLink = "only an ip pool with dedicated IPs can be linked to a domain";
        return Stream.of(
                // Mailgun rule 2: one pool per IP.
                rejected("2 create with another pool's IP", c -> c.createPool(newPool(IP16)), 400, otherPool),
                rejected("2 add another pool's IP", c -> c.addPoolIp(EMPTY, IP16), 400, otherPool),
                rejected("2 ips.json is all or nothing", c -> c.addPoolIps(EMPTY, List.of(IP11, IP16)), 400, otherPool),
                rejected(
                        "2 patch in another pool's IP",
                        c -> c.updatePool(LINKED, add(IP17)),
                        400,
                        "IP " + IP17 + " belongs to another pool"),
                // Mailgun rule 3: only the account's dedicated, warm IPs.
                rejected(
                        "3 shared IP in a pool",
                        c -> c.createPool(newPool(SHARED)),
                        400,
                        "IP " + SHARED + " is not a dedicated IP"),
                rejected(
                        "3 IP of no account",
                        c -> c.createPool(newPool(UNKNOWN_IP)),
                        400,
                        "IP " + UNKNOWN_IP + " does not belong to the account"),
                rejected(
                        "3 warming IP",
                        c -> c.addPoolIp(EMPTY, WARMING),
                        400,
                        "IP " + WARMING + " is on warmup and cannot be added to a pool"),
                rejected(
                        "3 shared IP on a domain",
                        c -> c.legacyAssignDomainIp("mail.example.com", SHARED),
                        400,
                        "IP " + SHARED + " is not a dedicated IP"),
                rejected(
                        "3 subaccount pools a parent IP not linked to it",
                        c -> c.onBehalfOf(STOREFRONT).createPool(newPool(IP11)),
                        400,
                        "IP " + IP11 + " does not belong to the account"),
                // Mailgun rule 4: inherited pools are read-only.
                rejected(
                        "4 patch an inherited pool",
                        c -> c.onBehalfOf(STOREFRONT).updatePool(DELEGATED, describe("mine")),
                        400,
                        inherited),
                rejected(
                        "4 add to an inherited pool",
                        c -> c.onBehalfOf(STOREFRONT).addPoolIp(DELEGATED, IP15),
                        400,
                        inherited),
                rejected(
                        "4 ips.json on an inherited pool",
                        c -> c.onBehalfOf(STOREFRONT).addPoolIps(DELEGATED, List.of(IP15)),
                        400,
                        inherited),
                rejected(
                        "4 remove from an inherited pool",
                        c -> c.onBehalfOf(STOREFRONT).removePoolIp(DELEGATED, IP17),
                        400,
                        inherited),
                rejected(
                        "4 delete an inherited pool",
                        c -> c.onBehalfOf(STOREFRONT).deletePool(DELEGATED, Replacement.ip(IP15)),
                        400,
                        inherited),
                // Mailgun rule 5: a PATCH must change something.
                rejected(
                        "5 rename to the same name",
                        c -> c.updatePool(LINKED, new PoolChange("linked", null, null, null, null, null)),
                        400,
                        "no changes"),
                rejected("5 add an IP the pool has", c -> c.updatePool(LINKED, add(IP16)), 400, "no changes"),
                rejected(
                        "5 add and remove one IP at once",
                        c -> c.updatePool(LINKED, new PoolChange(null, null, List.of(IP11), List.of(IP11), null, null)),
                        400,
                        "IP " + IP11 + " cannot be both added and removed"),
                rejected(
                        "5 link and unlink one domain at once",
                        c -> c.updatePool(LINKED, new PoolChange(null, null, null, null, mail(), mail())),
                        400,
                        "domain mail.example.com cannot be both linked and unlinked"),
                // Mailgun rule 6: deleting needs a usable replacement.
                rejected(
                        "6 delete a pool with IPs without replacement",
                        c -> c.deletePool(LINKED, Replacement.NONE),
                        400,
                        "ip pool has IPs: a replacement ip or pool_id is required to delete it"),
                rejected(
                        "6 replace a pool by itself",
                        c -> c.deletePool(LINKED, Replacement.pool(LINKED)),
                        400,
                        "the replacement ip pool must differ from the replaced one"),
                rejected(
                        "6 replace by an empty pool",
                        c -> c.deletePool(LINKED, Replacement.pool(EMPTY)),
                        400,
                        "the replacement ip pool must have at least one IP"),
                rejected(
                        "6 replace by an unknown pool",
                        c -> c.deletePool(LINKED, Replacement.pool(UNKNOWN_POOL)),
                        400,
                        "replacement ip pool " + UNKNOWN_POOL + " not found"),
                rejected(
                        "6 replace by shared when not eligible",
                        c -> c.deletePool(LINKED, Replacement.shared()),
                        400,
                        notEligibleForShared),
                rejected(
                        "6 replace by another pool's IP",
                        c -> c.deletePool(LINKED, Replacement.ip(IP17)),
                        400,
                        "IP " + IP17 + " belongs to another pool"),
                rejected(
                        "6 replace by a shared address",
                        c -> c.deletePool(LINKED, Replacement.ip(SHARED)),
                        400,
                        "IP " + SHARED + " is not a dedicated IP"),
                // Mailgun rule 8: a linked domain's IPs follow its pool only.
                rejected(
                        "8 assign an IP to a linked domain",
                        c -> c.legacyAssignDomainIp("news.example.com", IP11),
                        400,
                        newsFrozen),
                rejected(
                        "8 remove an IP from a linked domain",
                        c -> c.legacyRemoveDomainIp("news.example.com", IP16, Replacement.NONE),
                        400,
                        newsFrozen),
                // Mailgun rule 9: only a pool with IPs can be linked.
                rejected(
                        "9 link an empty pool", c -> c.legacyLinkDomainPool("mail.example.com", EMPTY), 400, emptyLink),
                rejected(
                        "9 link an empty pool by patch",
                        // link_domain takes a domain id; the emulator also takes the name.
                        c -> c.updatePool(EMPTY, new PoolChange(null, null, null, null, mail(), null)),
                        400,
                        emptyLink),
                // Mailgun rule 10: unlinking needs a linked pool and one usable replacement.
                rejected(
                        "10 unlink a domain without pool",
                        c -> c.legacyUnlinkDomainPool("mail.example.com", Replacement.ip(IP11)),
                        400,
                        "domain mail.example.com is not linked to an ip pool"),
                rejected(
                        "10 unlink to shared when not eligible",
                        c -> c.legacyUnlinkDomainPool("news.example.com", Replacement.shared()),
                        400,
                        notEligibleForShared),
                rejected(
                        "10 unlink to an empty pool",
                        c -> c.legacyUnlinkDomainPool("news.example.com", Replacement.pool(EMPTY)),
                        400,
                        "the replacement ip pool must have at least one IP"),
                // Mailgun rule 11: a domain of an account without shared IPs keeps an IP.
                rejected(
                        "11 remove a domain's last IP",
                        c -> c.legacyRemoveDomainIp("mail.example.com", IP10, Replacement.NONE),
                        400,
                        "cannot remove the last IP of domain mail.example.com: the account is not eligible"
                                + " for shared IPs"),
                rejected(
                        "11 shared cannot replace a literal IP",
                        c -> c.legacyRemoveDomainIp("alerts.example.com", IP12, Replacement.shared()),
                        400,
                        "shared can only replace a linked ip pool"),
                rejected(
                        "11 a pool cannot replace a literal IP",
                        c -> c.legacyRemoveDomainIp("alerts.example.com", IP12, Replacement.pool(LINKED)),
                        400,
                        "pool_id can only replace a linked ip pool"),
                // Mailgun rule 14: a linked pool keeps at least one IP.
                rejected("14 remove a linked pool's last IP", c -> c.removePoolIp(LINKED, IP16), 400, keepOneIp),
                rejected(
                        "14 patch out a linked pool's last IP",
                        c -> c.updatePool(LINKED, new PoolChange(null, null, null, List.of(IP16), null, null)),
                        400,
                        keepOneIp),
                // Mailgun rule 16: delegation.
                rejected(
                        "16 revoke what was not delegated",
                        c -> c.revokePoolDelegation(LINKED, STOREFRONT),
                        400,
                        "ip pool " + LINKED + " is not delegated to subaccount " + STOREFRONT),
                rejected(
                        "16 legacy revoke of what was not delegated",
                        c -> c.removeSubaccountPool(STOREFRONT, LINKED),
                        400,
                        "ip pool " + LINKED + " is not delegated to subaccount " + STOREFRONT),
                rejected(
                        "16 delegate to an unknown subaccount",
                        c -> c.delegatePool(LINKED, UNKNOWN_SUBACCOUNT),
                        404,
                        "account not found"),
                rejected(
                        "16 legacy delegate to an unknown subaccount",
                        c -> c.setSubaccountPool(UNKNOWN_SUBACCOUNT, LINKED),
                        404,
                        "account not found"),
                rejected(
                        "16 legacy delegate of an unknown pool",
                        c -> c.setSubaccountPool(STOREFRONT, UNKNOWN_POOL),
                        404,
                        "ip pool not found"),
                rejected(
                        "16 act for an unknown subaccount",
                        c -> c.onBehalfOf(UNKNOWN_SUBACCOUNT).listPools(),
                        404,
                        "account not found"),
                // Mailgun rule 18: not found.
                rejected("18 unknown pool", c -> c.getPool(UNKNOWN_POOL), 404, "ip pool not found"),
                rejected(
                        "18 delete an unknown pool",
                        c -> c.deletePool(UNKNOWN_POOL, Replacement.NONE),
                        404,
                        "ip pool not found"),
                rejected("18 add to an unknown pool", c -> c.addPoolIp(UNKNOWN_POOL, IP11), 404, "ip pool not found"),
                rejected(
                        "18 domains of an unknown pool",
                        c -> c.listPoolDomains(UNKNOWN_POOL, 10, null),
                        404,
                        "ip pool not found"),
                rejected(
                        "18 remove an IP the pool lacks",
                        c -> c.removePoolIp(LINKED, IP10),
                        404,
                        "IP " + IP10 + " is not in ip pool " + LINKED),
                rejected(
                        "18 unknown domain",
                        c -> c.legacyListDomainIps("unknown.example.com"),
                        404,
                        "Domain not found: unknown.example.com"),
                rejected(
                        "18 another account's domain",
                        c -> c.onBehalfOf(STOREFRONT).legacyListDomainIps("mail.example.com"),
                        404,
                        "Domain not found: mail.example.com"),
                rejected(
                        "18 remove an IP the domain lacks",
                        c -> c.legacyRemoveDomainIp("alerts.example.com", IP10, Replacement.NONE),
                        404,
                        "IP " + IP10 + " is not assigned to domain alerts.example.com"),
                rejected("18 unknown IP", c -> c.getIp(UNKNOWN_IP), 404, "ip not found"),
                rejected(
                        "18 domains of an unknown IP",
                        c -> c.listIpDomains(UNKNOWN_IP, null, null, null),
                        404,
                        "ip not found"),
                rejected(
                        "18 a parent IP not linked to the subaccount",
                        c -> c.onBehalfOf(STOREFRONT).getIp(IP10),
                        404,
                        "ip not found"),
                // Mailgun rule 19: validation.
                rejected(
                        "19 malformed IP",
                        c -> c.createPool(newPool("198.51.100.300")),
                        400,
                        "invalid IP address: 198.51.100.300"),
                rejected(
                        "19 pool domains limit below 10",
                        c -> c.listPoolDomains(LINKED, 5, null),
                        400,
                        "limit must be between 10 and 500"),
                rejected(
                        "19 pool domains limit above 500",
                        c -> c.listPoolDomains(LINKED, 501, null),
                        400,
                        "limit must be between 10 and 500"),
                rejected(
                        "19 forged page token",
                        c -> c.listPoolDomains(LINKED, 10, "bm90LWEtY3Vyc29y"),
                        400,
                        "invalid page token"),
                rejected(
                        "19 IP domains limit 0",
                        c -> c.listIpDomains(IP10, 0, null, null),
                        400,
                        "limit must be between 1 and 1000"),
                rejected(
                        "19 IP domains negative skip",
                        c -> c.listIpDomains(IP10, null, -1, null),
                        400,
                        "skip must not be negative"));
    }

    @ParameterizedTest(name = "rule {0}")
    @MethodSource("rejections")
    void ruleViolationsAreRejectedWithoutEffect(String rule, Call call, int status, String message) {
        assertRejected(call, status, message);
    }

    static Stream<Arguments> withoutDippsFeature() {
        return Stream.of(
                Arguments.of("create", (Call) c -> c.createPool(newPool(IP10))),
                Arguments.of("patch", (Call) c -> c.updatePool(LINKED, describe("other"))),
                Arguments.of("delete", (Call) c -> c.deletePool(LINKED, Replacement.ip(IP10))),
                Arguments.of("add an IP", (Call) c -> c.addPoolIp(LINKED, IP10)),
                Arguments.of("add IPs", (Call) c -> c.addPoolIps(LINKED, List.of(IP10))),
                Arguments.of("remove an IP", (Call) c -> c.removePoolIp(LINKED, IP11)),
                Arguments.of("link a domain", (Call) c -> c.legacyLinkDomainPool("mail.example.com", LINKED)),
                Arguments.of("unlink a domain", (Call)
                        c -> c.legacyUnlinkDomainPool("news.example.com", Replacement.ip(IP10))),
                Arguments.of("legacy delegate", (Call) c -> c.setSubaccountPool(STOREFRONT, LINKED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutDippsFeature")
    void poolWritesNeedTheDippsFeature(String what, Call call) {
        restartWith(NO_DIPPS_FIXTURE);

        MailgunApiException error = assertRejected(call, 403, "DIPPs feature is not enabled for the account");

        assertThat(error.isUnauthorized()).isTrue();
    }

    @Test
    void aWrongKeyIsUnauthorizedAndTheKeyAppearsNowhere() {
        String wrongKey = "key-0123456789abcdef0123456789abcdef";
        MailgunClientOptions options = clientOptions().apiKey(wrongKey).build();

        try (MailgunClient wrong = OkHttpMailgunClient.create(options)) {
            MailgunApiException error = apiError(wrong::listPools);

            assertThat(error.status()).isEqualTo(401);
            assertThat(error.isUnauthorized()).isTrue();
            assertThat(error.isTransient()).isFalse();
            assertThat(error.mailgunMessage()).isEqualTo("Forbidden");
            assertThat(error.getMessage()).contains("401").doesNotContain(wrongKey);
            assertThat(error.toString()).doesNotContain(wrongKey);
            assertThat(error.endpoint()).isEqualTo("GET /v3/ip_pools");
        }
        assertThat(calls()).containsExactly("GET /v3/ip_pools 401");
    }

    @Test
    void anUnknownPoolIsNotFound() {
        MailgunApiException error = apiError(() -> client.getPool(UNKNOWN_POOL));

        assertThat(error.isNotFound()).isTrue();
        assertThat(error.isTransient()).isFalse();
        assertThat(error.endpoint()).isEqualTo("GET /v3/ip_pools/{pool_id}");
        assertThat(error.getMessage()).doesNotContain(KEY);
    }

    private MailgunApiException assertRejected(Call call, int status, String message) {
        EmulatorSnapshot before = state();
        forgetCalls();

        MailgunApiException error = apiError(() -> call.on(client));

        assertThat(error.status()).isEqualTo(status);
        assertThat(error.isTransient()).isFalse();
        assertThat(error.isNotFound()).isEqualTo(status == 404);
        assertThat(error.mailgunMessage()).isEqualTo(message);
        assertThat(error.getMessage()).contains(message);
        assertThat(state()).isEqualTo(before);
        // Sent once: a permanent answer is never retried.
        assertThat(emulator.journal().entries()).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(status);
            assertThat(entry.method()).isEqualTo(error.method());
            assertThat(entry.endpoint()).isNotNull();
        });
        return error;
    }

    private static NewPool newPool(String ip) {
        return new NewPool("rejected", "d", List.of(ip));
    }

    private static PoolChange add(String ip) {
        return new PoolChange(null, null, List.of(ip), null, null, null);
    }

    private static PoolChange describe(String description) {
        return new PoolChange(null, description, null, null, null, null);
    }

    private static List<String> mail() {
        return List.of("mail.example.com");
    }
}
