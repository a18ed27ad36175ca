package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import org.junit.jupiter.api.Test;

/** One test per rule of reference §6: each rejection's status, message, and unchanged state. */
class MailgunRulesTest extends EmulatorTestSupport {

    @Test
    void rule01_everyPoolMutationNeedsTheDippsFeature() {
        try (MailgunEmulator off =
                MailgunEmulator.start(config().withFixture(withoutDipps(AccountFixture.defaults())))) {
            EmulatorHttp client = new EmulatorHttp(off.url(), KEY, null);
            EmulatorSnapshot before = off.state();
            assertDenied(client.form("POST", "/v3/ip_pools", "name", "a", "description", "b"));
            assertDenied(client.form("PATCH", "/v3/ip_pools/" + LEGACY_POOL, "name", "x"));
            assertDenied(client.delete("/v3/ip_pools/" + LEGACY_POOL + "?ip=" + IP10));
            assertDenied(client.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10));
            assertDenied(client.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP16));
            assertDenied(client.json("POST", "/v3/ip_pools/" + LEGACY_POOL + "/ips.json", "{\"ips\":[\"x\"]}"));
            assertDenied(client.delete("/v3/domains/news.example.com/ips/ip_pool?ip=" + IP10));
            assertDenied(client.form("POST", "/v3/domains/mail.example.com/ips", "pool_id", LEGACY_POOL));
            assertThat(off.state()).isEqualTo(before);
            // Reads still work; the IP list just omits pool assignability.
            assertThat(client.get("/v3/ip_pools").status()).isEqualTo(200);
            assertThat(client.get("/v3/ips").json().has("assignable_to_pools")).isFalse();
        }
    }

    private static void assertDenied(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.message()).isEqualTo("DIPPs feature is not enabled for the account");
    }

    @Test
    void rule02_anIpBelongsToOnePoolAtMost() {
        String pool = createPool("second");
        String taken = "IP " + IP16 + " belongs to another pool";
        assertRejected(
                () -> http.form("POST", "/v3/ip_pools", "name", "n", "description", "d", "ip", IP16), 400, taken);
        assertRejected(() -> http.put("/v3/ip_pools/" + pool + "/ips/" + IP16), 400, taken);
        assertRejected(() -> http.form("PATCH", "/v3/ip_pools/" + pool, "add_ip", IP16), 400, taken);
        assertRejected(
                () -> http.json(
                        "POST", "/v3/ip_pools/" + pool + "/ips.json", "{\"ips\":[\"" + IP10 + "\",\"" + IP16 + "\"]}"),
                400,
                taken);
    }

    @Test
    void rule03_onlyDedicatedOwnedIpsNotOnWarmupMayJoinAPool() {
        String pool = createPool("eligible");
        assertRejected(
                () -> http.put("/v3/ip_pools/" + pool + "/ips/" + WARMING), 400, "IP " + WARMING + " is on warmup");
        assertRejected(
                () -> http.put("/v3/ip_pools/" + pool + "/ips/" + SHARED),
                400,
                "IP " + SHARED + " is not a dedicated IP");
        assertRejected(
                () -> http.put("/v3/ip_pools/" + pool + "/ips/" + UNKNOWN_IP),
                400,
                "IP " + UNKNOWN_IP + " does not belong to the account");
        // A subaccount owns only the parent IPs linked to it.
        assertRejected(
                () -> http.as(STOREFRONT).form("POST", "/v3/ip_pools", "name", "s", "description", "s", "ip", IP10),
                400,
                "does not belong to the account");
        assertRejected(
                () -> http.form("POST", "/v3/domains/mail.example.com/ips", "ip", SHARED),
                400,
                "is not a dedicated IP");
        assertThat(texts(http.get("/v3/ips").json().get("assignable_to_pools")))
                .containsExactly(IP10, IP11, IP12, IP13, IP15);
    }

    @Test
    void rule04_inheritedPoolsAreReadOnlyForTheSubaccount() {
        assertOk(http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT));
        EmulatorHttp sub = http.as(STOREFRONT);
        String message = "inherited pool cannot be modified";
        assertRejected(() -> sub.form("PATCH", "/v3/ip_pools/" + LEGACY_POOL, "name", "x"), 400, message);
        assertRejected(() -> sub.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP15), 400, message);
        assertRejected(() -> sub.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP16), 400, message);
        assertRejected(
                () -> sub.json("POST", "/v3/ip_pools/" + LEGACY_POOL + "/ips.json", "{\"ips\":[\"" + IP15 + "\"]}"),
                400,
                message);
        assertRejected(() -> sub.delete("/v3/ip_pools/" + LEGACY_POOL + "?ip=" + IP15), 400, message);
        assertRejected(
                () -> sub.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", MARKETING),
                400,
                message);
    }

    @Test
    void rule05_aPatchThatChangesNothingIsRejected() {
        String path = "/v3/ip_pools/" + LEGACY_POOL;
        assertRejected(() -> http.form("PATCH", path), 400, "no changes");
        assertRejected(
                () -> http.multipart(
                        "PATCH",
                        path,
                        "name",
                        "legacy-transactional",
                        "description",
                        "Created by hand before the operator was installed",
                        "add_ip",
                        IP16,
                        "remove_ip",
                        IP10,
                        "link_domain",
                        "news.example.com",
                        "unlink_domain",
                        "mail.example.com"),
                400,
                "no changes");
        assertOk(http.form("PATCH", path, "name", "renamed"));
    }

    @Test
    void rule06_deletingAPoolNeedsAValidReplacement() {
        String empty = createPool("empty");
        String other = createPool("other", IP10);
        String path = "/v3/ip_pools/" + LEGACY_POOL;
        assertRejected(() -> http.delete(path), 400, "a replacement ip or pool_id is required");
        assertRejected(
                () -> http.delete(path + "?ip=" + IP11 + "&pool_id=" + other),
                400,
                "specify either ip or pool_id, not both");
        assertRejected(
                () -> http.delete(path + "?pool_id=6650ffffffffffffffffffff"),
                400,
                "replacement ip pool 6650ffffffffffffffffffff not found");
        assertRejected(() -> http.delete(path + "?pool_id=" + LEGACY_POOL), 400, "must differ");
        assertRejected(() -> http.delete(path + "?pool_id=" + empty), 400, "at least one IP");
        assertRejected(() -> http.delete(path + "?ip=" + SHARED), 400, "is not a dedicated IP");
        assertRejected(() -> http.delete(path + "?ip=" + UNKNOWN_IP), 400, "does not belong");
        assertRejected(() -> http.delete(path + "?ip=" + IP10), 400, "belongs to another pool");
        // An IP of the deleted pool itself is a valid replacement, and an empty pool needs none.
        assertOk(http.delete("/v3/ip_pools/" + empty));
        assertThat(http.delete(path + "?ip=" + IP16).message()).isEqualTo("started");
    }

    @Test
    void rule06_sharedReplacementNeedsEligibility() {
        try (MailgunEmulator noShared =
                MailgunEmulator.start(config().withFixture(notSharedEligible(AccountFixture.defaults())))) {
            EmulatorHttp client = new EmulatorHttp(noShared.url(), KEY, null);
            EmulatorSnapshot before = noShared.state();
            Reply reply = client.delete("/v3/ip_pools/" + LEGACY_POOL + "?ip=shared");
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.message()).isEqualTo("the account is not eligible for shared IPs");
            assertThat(noShared.state()).isEqualTo(before);
        }
        Reply shared = http.delete("/v3/ip_pools/" + LEGACY_POOL + "?ip=shared");
        assertThat(shared.message()).isEqualTo("started");
        assertThat(emulator.state().domainIps("news.example.com")).containsExactly(SHARED);
    }

    @Test
    void rule07_deleteRelinksDomainsAndUpdatesDelegations() {
        String replacement = createPool("replacement", IP10);
        assertOk(http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT));
        Reply reply = http.delete("/v3/ip_pools/" + LEGACY_POOL + "?pool_id=" + replacement);
        assertThat(reply.message()).isEqualTo("started");
        assertThat(reply.json().get("reference_id").asText()).matches("[0-9a-f]{24}");
        assertThat(http.get("/v3/ip_pools/" + LEGACY_POOL).status()).isEqualTo(404);
        assertThat(emulator.state().linkedPool("news.example.com")).contains(replacement);
        assertThat(emulator.state().domainIps("news.example.com")).containsExactly(IP10);
        assertThat(emulator.state().pool(replacement).orElseThrow().delegatedTo())
                .containsExactly(STOREFRONT);

        String second = createPool("second", IP11);
        assertOk(http.form("POST", "/v3/domains/mail.example.com/ips", "pool_id", second));
        assertThat(http.delete("/v3/ip_pools/" + second + "?ip=" + IP13).message())
                .isEqualTo("started");
        assertThat(emulator.state().linkedPool("mail.example.com")).isEmpty();
        assertThat(emulator.state().domainIps("mail.example.com")).containsExactly(IP13);
    }

    @Test
    void rule08_aDomainLinkedToAPoolIsFrozen() {
        String frozen = "is linked to ip pool " + LEGACY_POOL;
        assertRejected(() -> http.form("POST", "/v3/domains/news.example.com/ips", "ip", IP10), 400, frozen);
        assertRejected(() -> http.delete("/v3/domains/news.example.com/ips/" + IP16), 400, frozen);
        assertRejected(() -> http.delete("/v3/domains/news.example.com/pool/" + IP16), 400, frozen);
        // It follows the pool's membership instead.
        http.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10);
        assertThat(texts(http.get("/v3/domains/news.example.com/ips").json().get("items")))
                .containsExactly(IP16, IP17, IP10);
    }

    @Test
    void rule09_oneLinkedPoolPerDomain() {
        String empty = createPool("empty");
        assertRejected(
                () -> http.form("POST", "/v3/domains/mail.example.com/ips", "pool_id", empty),
                400,
                "only an ip pool with dedicated IPs can be linked");
        assertRejected(
                () -> http.form("PATCH", "/v3/ip_pools/" + empty, "link_domain", domainId("mail.example.com")),
                400,
                "only an ip pool with dedicated IPs can be linked");

        // Linking replaces the domain's IPs.
        assertOk(http.form("POST", "/v3/domains/mail.example.com/ips", "pool_id", LEGACY_POOL));
        assertThat(emulator.state().domainIps("mail.example.com")).containsExactly(IP16, IP17);

        // Linking to another pool moves the domain.
        String other = createPool("other", IP12);
        Reply moved = http.form("PATCH", "/v3/ip_pools/" + other, "link_domain", domainId("mail.example.com"));
        assertThat(moved.message()).isEqualTo("started");
        assertThat(texts(http.get("/v3/ip_pools/" + LEGACY_POOL).json().at("/details/linked_domains")))
                .containsExactly("news.example.com");
        assertThat(texts(http.get("/v3/ip_pools/" + other).json().at("/details/linked_domains")))
                .containsExactly("mail.example.com");
        assertThat(emulator.state().domainIps("mail.example.com")).containsExactly(IP12);
    }

    @Test
    void rule10_unlinkNeedsExactlyOneReplacement() {
        String path = "/v3/domains/news.example.com/ips/ip_pool";
        String exactlyOne = "exactly one of ip or pool_id is required";
        assertRejected(() -> http.delete(path), 400, exactlyOne);
        assertRejected(() -> http.delete(path + "?ip=" + IP10 + "&pool_id=" + LEGACY_POOL), 400, exactlyOne);
        assertRejected(
                () -> http.delete("/v3/domains/mail.example.com/ips/ip_pool?ip=" + IP10),
                400,
                "domain mail.example.com is not linked to an ip pool");
        assertRejected(() -> http.delete(path + "?ip=" + UNKNOWN_IP), 400, "does not belong");
        assertOk(http.form("DELETE", path, "ip", IP16));
        assertThat(emulator.state().linkedPool("news.example.com")).isEmpty();
        assertThat(emulator.state().domainIps("news.example.com")).containsExactly(IP16);
    }

    @Test
    void rule10_sharedUnlinkNeedsEligibility() {
        try (MailgunEmulator noShared =
                MailgunEmulator.start(config().withFixture(notSharedEligible(AccountFixture.defaults())))) {
            EmulatorHttp client = new EmulatorHttp(noShared.url(), KEY, null);
            EmulatorSnapshot before = noShared.state();
            Reply reply = client.delete("/v3/domains/news.example.com/pool/ip_pool?ip=shared");
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.message()).isEqualTo("the account is not eligible for shared IPs");
            assertThat(noShared.state()).isEqualTo(before);
        }
    }

    @Test
    void rule11_theLastIpOfADomainStaysUnlessSharedIpsAreAllowed() {
        try (MailgunEmulator noShared =
                MailgunEmulator.start(config().withFixture(notSharedEligible(AccountFixture.defaults())))) {
            EmulatorHttp client = new EmulatorHttp(noShared.url(), KEY, null);
            EmulatorSnapshot before = noShared.state();
            Reply reply = client.delete("/v3/domains/alerts.example.com/ips/" + IP12);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.message())
                    .isEqualTo("cannot remove the last IP of domain alerts.example.com:"
                            + " the account is not eligible for shared IPs");
            assertThat(noShared.state()).isEqualTo(before);
        }
        assertOk(http.delete("/v3/domains/alerts.example.com/ips/" + IP12));
        assertThat(emulator.state().domainIps("alerts.example.com")).containsExactly(SHARED);
    }

    @Test
    void rule11_aWarmIpIsAddedWhenOnlyWarmingIpsWouldRemain() {
        assertOk(http.form("POST", "/v3/domains/alerts.example.com/ips", "ip", WARMING));
        assertOk(http.delete("/v3/domains/alerts.example.com/ips/" + IP12));
        assertThat(emulator.state().domainIps("alerts.example.com")).containsExactly(WARMING, IP10);
    }

    @Test
    void rule12_allDropsTheDomainPoolAndLink() {
        assertOk(http.delete("/v3/domains/news.example.com/ips/all"));
        assertThat(emulator.state().linkedPool("news.example.com")).isEmpty();
        assertThat(emulator.state().domainIps("news.example.com"))
                .containsExactly(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17);
        assertThat(texts(http.get("/v3/ip_pools/" + LEGACY_POOL).json().at("/details/linked_domains")))
                .isEmpty();
    }

    @Test
    void rule13_newDomainsGetAllDedicatedIpsOrTheirPool() {
        Reply plain = http.form("POST", "/v4/domains", "name", "new.example.com");
        assertOk(plain);
        assertThat(plain.json().at("/domain/name").asText()).isEqualTo("new.example.com");
        assertThat(emulator.state().domainIps("new.example.com"))
                .containsExactly(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17);

        assertOk(http.form("POST", "/v4/domains", "name", "pooled.example.com", "pool_id", LEGACY_POOL));
        assertThat(emulator.state().linkedPool("pooled.example.com")).contains(LEGACY_POOL);
        assertThat(emulator.state().domainIps("pooled.example.com")).containsExactly(IP16, IP17);

        assertOk(http.form("POST", "/v4/domains", "name", "picked.example.com", "ips", IP10 + "," + IP11));
        assertThat(emulator.state().domainIps("picked.example.com")).containsExactly(IP10, IP11);

        assertRejected(
                () -> http.form("POST", "/v4/domains", "name", "new.example.com"),
                400,
                "This domain name is already taken");
        String empty = createPool("empty");
        assertRejected(
                () -> http.form("POST", "/v4/domains", "name", "x.example.com", "pool_id", empty),
                400,
                "only an ip pool with dedicated IPs can be linked");
    }

    @Test
    void rule14_aLinkedPoolKeepsAtLeastOneIp() {
        String keep = "ip pool is linked to domains and must keep at least one IP";
        assertRejected(
                () -> http.form("PATCH", "/v3/ip_pools/" + LEGACY_POOL, "remove_ip", IP16, "remove_ip", IP17),
                400,
                keep);
        assertThat(http.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP16).message())
                .isEqualTo("started");
        assertRejected(() -> http.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP17), 400, keep);
        // Unlinking in the same call lifts the rule.
        assertOk(http.form(
                "PATCH", "/v3/ip_pools/" + LEGACY_POOL, "remove_ip", IP17, "unlink_domain", "news.example.com"));
        assertThat(emulator.state().linkedPool("news.example.com")).isEmpty();
        assertThat(emulator.state().domainIps("news.example.com"))
                .containsExactly(IP10, IP11, IP12, IP13, WARMING, IP15, IP16, IP17);
    }

    @Test
    void rule16_delegatedPoolsAreInheritedByTheSubaccount() {
        EmulatorHttp sub = http.as(STOREFRONT);
        assertThat(sub.get("/v3/ip_pools").json().get("ip_pools")).isEmpty();
        assertThat(http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT)
                        .message())
                .isEqualTo("success");
        Reply pools = sub.get("/v3/ip_pools");
        assertThat(pools.json().at("/ip_pools/0/pool_id").asText()).isEqualTo(LEGACY_POOL);
        assertThat(pools.json().at("/ip_pools/0/is_inherited").asBoolean()).isTrue();
        assertThat(pools.json().at("/ip_pools/0/is_linked").asBoolean()).isFalse();

        // The subaccount may link its own domain to the inherited pool.
        assertOk(sub.form("POST", "/v3/domains/shop.example.org/ips", "pool_id", LEGACY_POOL));
        assertThat(emulator.state().linkedPool("shop.example.org")).contains(LEGACY_POOL);
        assertThat(sub.get("/v3/ip_pools/" + LEGACY_POOL).json().at("/details/linked_domains"))
                .hasSize(1);

        // Revoking unlinks the subaccount's domains from the pool.
        Reply revoke = http.form("DELETE", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT);
        assertThat(revoke.message()).isEqualTo("started");
        assertThat(emulator.state().linkedPool("shop.example.org")).isEmpty();
        assertThat(emulator.state().domainIps("shop.example.org")).containsExactly(IP15);
        assertThat(sub.get("/v3/ip_pools/" + LEGACY_POOL).status()).isEqualTo(404);

        assertRejected(
                () -> http.form("DELETE", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT),
                400,
                "is not delegated to subaccount " + STOREFRONT);
        assertRejected(
                () -> http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", ACCOUNT),
                404,
                "account not found");
        assertRejected(() -> http.put("/v3/ip_pools/" + LEGACY_POOL + "/delegate"), 400, "subaccount_id is required");
    }

    @Test
    void rule17_subaccountIpLinksRespectParentPools() {
        assertRejected(
                () -> http.form("PATCH", "/v3/ips/subaccounts", "subaccount_id", MARKETING, "link_ip", IP16),
                400,
                "IP " + IP16 + " belongs to a dedicated IP pool of the parent account");
        assertRejected(
                () -> http.form("PATCH", "/v3/ips/subaccounts", "subaccount_id", STOREFRONT, "unlink_ip", IP15),
                400,
                "IP " + IP15 + " is used by a pool or domain of subaccount " + STOREFRONT);
        assertRejected(
                () -> http.form("PUT", "/v5/accounts/subaccounts/" + MARKETING + "/ip", "ip", IP17),
                400,
                "belongs to a dedicated IP pool of the parent account");
        assertRejected(
                () -> http.as(STOREFRONT)
                        .form("PATCH", "/v3/ips/subaccounts", "subaccount_id", MARKETING, "link_ip", IP13),
                403,
                "only the parent account");

        assertOk(http.form("PATCH", "/v3/ips/subaccounts", "subaccount_id", MARKETING, "link_ip", IP13));
        assertThat(texts(http.as(MARKETING).get("/v3/ips").json().get("items"))).containsExactly(IP13);
        assertOk(http.form("PUT", "/v5/accounts/subaccounts/" + MARKETING + "/ip", "ip", IP12));
        assertOk(http.form("PATCH", "/v3/ips/subaccounts", "subaccount_id", MARKETING, "unlink_ip", IP13));
        assertThat(texts(http.as(MARKETING).get("/v3/ips").json().get("items"))).containsExactly(IP12);
    }

    @Test
    void rule18_notFoundTexts() {
        assertRejected(() -> http.get("/v3/ip_pools/6650ffffffffffffffffffff"), 404, "ip pool not found");
        assertThat(http.get("/v3/ip_pools/6650ffffffffffffffffffff").message()).isEqualTo("ip pool not found");
        assertThat(http.get("/v3/domains/nope.example.com/ips").message())
                .isEqualTo("Domain not found: nope.example.com");
        assertThat(http.get("/v4/domains/nope.example.com").status()).isEqualTo(404);
        Reply ip = http.get("/v3/ips/" + UNKNOWN_IP);
        assertThat(ip.status()).isEqualTo(404);
        assertThat(ip.message()).isEqualTo("ip not found");
        assertRejected(
                () -> http.form("PATCH", "/v3/ip_pools/" + LEGACY_POOL, "link_domain", "nope.example.com"),
                404,
                "Domain not found: nope.example.com");
        // A subaccount does not see the parent's pools or domains.
        assertThat(http.as(STOREFRONT).get("/v3/ip_pools/" + LEGACY_POOL).message())
                .isEqualTo("ip pool not found");
        assertThat(http.as(STOREFRONT).get("/v3/domains/mail.example.com/ips").status())
                .isEqualTo(404);
    }

    @Test
    void rule19_validation() {
        assertRejected(() -> http.form("POST", "/v3/ip_pools", "description", "d"), 400, "name is required");
        assertRejected(() -> http.form("POST", "/v3/ip_pools", "name", "n"), 400, "description is required");
        assertRejected(
                () -> http.form("POST", "/v3/ip_pools", "name", "n", "description", "d", "ip", "1.2.3"),
                400,
                "invalid IP address: 1.2.3");
        assertRejected(() -> http.get("/v3/ip_pools/" + LEGACY_POOL + "/domains?limit=9"), 400, "between 10 and 500");
        assertRejected(() -> http.get("/v3/ip_pools/" + LEGACY_POOL + "/domains?limit=501"), 400, "between 10 and 500");
        assertRejected(
                () -> http.get("/v3/ip_pools/" + LEGACY_POOL + "/domains?page=not-a-token"), 400, "invalid page token");
        assertRejected(() -> http.get("/v3/ips?dedicated=maybe"), 400, "invalid value for dedicated");
        assertRejected(() -> http.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/300.1.1.1"), 400, "invalid IP");
        assertRejected(() -> http.form("POST", "/v4/domains", "name", "not a domain"), 400, "invalid domain name");
        assertRejected(
                () -> http.form("PATCH", "/v3/ip_pools/" + LEGACY_POOL, "name", ""), 400, "name cannot be empty");
    }

    static AccountFixture withoutDipps(AccountFixture f) {
        return new AccountFixture(
                f.accountId(),
                new AccountFixture.Features(false, f.features().sharedIpEligible()),
                f.ips(),
                f.domains(),
                f.pools(),
                f.subaccounts());
    }

    static AccountFixture notSharedEligible(AccountFixture f) {
        return new AccountFixture(
                f.accountId(),
                new AccountFixture.Features(f.features().dipps(), false),
                f.ips(),
                f.domains(),
                f.pools(),
                f.subaccounts());
    }
}
