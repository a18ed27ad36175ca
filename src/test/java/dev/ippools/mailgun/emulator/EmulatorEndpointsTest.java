package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Happy paths of every endpoint, with the response shapes of the reference. */
class EmulatorEndpointsTest extends EmulatorTestSupport {

    @Test
    void listsPoolsWithAssignmentsMetadata() {
        Reply reply = http.get("/v3/ip_pools");
        assertOk(reply);
        assertThat(reply.contentType()).isEqualTo("application/json; charset=utf-8");
        JsonNode body = reply.json();
        assertThat(body.get("message").asText()).isEqualTo("success");
        JsonNode pool = body.at("/ip_pools/0");
        assertThat(pool.get("pool_id").asText()).isEqualTo(LEGACY_POOL);
        assertThat(pool.get("name").asText()).isEqualTo("legacy-transactional");
        assertThat(texts(pool.get("ips"))).containsExactly(IP16, IP17);
        assertThat(pool.get("is_inherited").asBoolean()).isFalse();
        assertThat(pool.get("is_linked").asBoolean()).isTrue();
        assertThat(pool.get("metadata")
                        .get("assignments")
                        .get(IP16)
                        .get("linked_at")
                        .asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void createsAPoolAndReadsItsDetails() {
        Reply created = http.multipart(
                "POST", "/v3/ip_pools", "name", "bulk", "description", "Bulk mail", "ip", IP10, "ip", IP11);
        assertOk(created);
        assertThat(created.message()).isEqualTo("success");
        String id = created.json().get("pool_id").asText();
        assertThat(id).matches("[0-9a-f]{24}");

        JsonNode details = http.get("/v3/ip_pools/" + id).json();
        assertThat(details.get("message").asText()).isEqualTo("success");
        assertThat(details.at("/details/pool_id").asText()).isEqualTo(id);
        assertThat(details.at("/details/name").asText()).isEqualTo("bulk");
        assertThat(details.at("/details/description").asText()).isEqualTo("Bulk mail");
        assertThat(texts(details.at("/details/ips"))).containsExactly(IP10, IP11);
        assertThat(details.at("/details/is_linked").asBoolean()).isFalse();
        assertThat(details.at("/details/linked_domains")).isEmpty();
    }

    @Test
    void createAcceptsTheLegacyCommaSeparatedIpsField() {
        Reply created =
                http.form("POST", "/v3/ip_pools", "name", "legacy", "description", "d", "ips", IP10 + "," + IP11);
        assertOk(created);
        String id = created.json().get("pool_id").asText();
        assertThat(emulator.state().pool(id).orElseThrow().ips()).containsExactly(IP10, IP11);
    }

    @Test
    void idsAreDeterministic() {
        String first = createPool("one");
        assertThat(first).isEqualTo("665000000000000000000007");
        emulator.reset();
        assertThat(createPool("again")).isEqualTo(first);
    }

    @Test
    void patchRenamesWithSuccessAndChangesMembershipWithStarted() {
        String id = createPool("p", IP10);
        assertThat(http.form("PATCH", "/v3/ip_pools/" + id, "name", "q", "description", "new")
                        .message())
                .isEqualTo("success");
        Reply changed = http.multipart(
                "PATCH",
                "/v3/ip_pools/" + id,
                "add_ip",
                IP11,
                "add_ip",
                IP12,
                "remove_ip",
                IP10,
                "link_domain",
                domainId("mail.example.com"),
                "link_domain",
                "alerts.example.com");
        assertThat(changed.message()).isEqualTo("started");
        assertThat(changed.json().get("reference_id").asText()).matches("[0-9a-f]{24}");
        EmulatorSnapshot.PoolView pool = emulator.state().pool(id).orElseThrow();
        assertThat(pool.name()).isEqualTo("q");
        assertThat(pool.description()).isEqualTo("new");
        assertThat(pool.ips()).containsExactly(IP11, IP12);
        assertThat(pool.linkedDomains()).containsExactly("mail.example.com", "alerts.example.com");

        Reply unlinked = http.form("PATCH", "/v3/ip_pools/" + id, "unlink_domain", domainId("alerts.example.com"));
        assertThat(unlinked.message()).isEqualTo("started");
        // The unlinked domain keeps the IPs it was sending from.
        assertThat(emulator.state().domainIps("alerts.example.com")).containsExactly(IP11, IP12);
        assertThat(emulator.state().linkedPool("alerts.example.com")).isEmpty();
    }

    @Test
    void deletesPools() {
        String empty = createPool("empty");
        Reply reply = http.delete("/v3/ip_pools/" + empty);
        assertThat(reply.message()).isEqualTo("started");
        assertThat(reply.json().get("reference_id").asText()).matches("[0-9a-f]{24}");
        assertThat(emulator.state().pool(empty)).isEmpty();
        // Replacement given in a url-encoded DELETE body, as mailgun.js sends it.
        String target = createPool("target", IP10);
        assertThat(http.form("DELETE", "/v3/ip_pools/" + LEGACY_POOL, "pool_id", target)
                        .message())
                .isEqualTo("started");
        assertThat(emulator.state().linkedPool("news.example.com")).contains(target);
    }

    @Test
    void pagesThroughPoolDomainsWithCursorLinks() {
        for (int i = 0; i < 12; i++) {
            assertOk(http.form("POST", "/v4/domains", "name", "d" + i + ".example.com", "pool_id", LEGACY_POOL));
        }
        Reply first = http.get("/v3/ip_pools/" + LEGACY_POOL + "/domains");
        assertOk(first);
        JsonNode body = first.json();
        assertThat(body.get("domains")).hasSize(10);
        assertThat(body.at("/domains/0/name").asText()).isEqualTo("news.example.com");
        assertThat(body.at("/domains/0/id").asText()).isEqualTo(domainId("news.example.com"));
        String next = body.at("/paging/next").asText();
        String host = emulator.url().substring("http://".length());
        assertThat(next).startsWith("http://" + host + "/v3/ip_pools/" + LEGACY_POOL + "/domains?limit=10&page=");
        assertThat(body.at("/paging/first").asText()).startsWith("http://" + host);

        List<String> names = new ArrayList<>();
        body.get("domains").forEach(d -> names.add(d.get("name").asText()));
        JsonNode second = http.get(next.substring(emulator.url().length())).json();
        second.get("domains").forEach(d -> names.add(d.get("name").asText()));
        assertThat(second.get("domains")).hasSize(3);
        assertThat(names).hasSize(13).doesNotHaveDuplicates();
        String third = second.at("/paging/next").asText();
        assertThat(http.get(third.substring(emulator.url().length())).json().get("domains"))
                .isEmpty();
        assertThat(http.get("/v3/ip_pools/" + LEGACY_POOL + "/domains?limit=500")
                        .json()
                        .get("domains"))
                .hasSize(13);
    }

    @Test
    void addsAndRemovesSinglePoolIps() {
        Reply added = http.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10);
        assertThat(added.message()).isEqualTo("started");
        assertThat(added.json().get("reference_id").asText()).matches("[0-9a-f]{24}");
        assertThat(emulator.state().pool(LEGACY_POOL).orElseThrow().ips()).contains(IP10);
        assertThat(http.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10).message())
                .isEqualTo("started");
        Reply removed = http.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP16);
        assertThat(removed.message()).isEqualTo("started");
        assertThat(emulator.state().pool(LEGACY_POOL).orElseThrow().ips()).containsExactly(IP17, IP10);
        assertThat(emulator.state().domainIps("news.example.com")).containsExactly(IP17, IP10);
        Reply missing = http.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP16);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void addsSeveralIpsFromAJsonBody() {
        Reply reply = http.json(
                "POST", "/v3/ip_pools/" + LEGACY_POOL + "/ips.json", "{\"ips\":[\"" + IP10 + "\",\"" + IP11 + "\"]}");
        assertThat(reply.message()).isEqualTo("started");
        assertThat(emulator.state().pool(LEGACY_POOL).orElseThrow().ips()).containsExactly(IP16, IP17, IP10, IP11);
        Reply empty = http.json("POST", "/v3/ip_pools/" + LEGACY_POOL + "/ips.json", "{\"ips\":[]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.message()).isEqualTo("ips is required");
    }

    @Test
    void delegatesThroughTheLegacyV5Endpoints() {
        JsonNode none = http.get("/v5/accounts/subaccounts/ip_pools/all").json();
        assertThat(none.get("total_count").asInt()).isEqualTo(2);
        assertThat(none.at("/items/0/pool_id").isNull()).isTrue();
        assertThat(none.at("/items/0/subaccount_id").asText()).isEqualTo(STOREFRONT);

        String other = createPool("other", IP10);
        Reply put = http.form("PUT", "/v5/accounts/subaccounts/" + STOREFRONT + "/ip_pool", "pool_id", LEGACY_POOL);
        assertThat(put.message()).isEqualTo("started");
        assertThat(put.json().get("reference_id").asText()).matches("[0-9a-f]{24}");
        // The v3 endpoint adds a second delegation; the v5 list shows one item per pair.
        assertOk(http.form("PUT", "/v3/ip_pools/" + other + "/delegate", "subaccount_id", STOREFRONT));
        JsonNode both = http.get("/v5/accounts/subaccounts/ip_pools/all").json();
        assertThat(both.get("total_count").asInt()).isEqualTo(3);
        assertThat(both.at("/items/0/pool_id").asText()).isEqualTo(LEGACY_POOL);
        assertThat(both.at("/items/1/pool_id").asText()).isEqualTo(other);

        // The legacy PUT keeps one pool per subaccount: it replaces both.
        String third = createPool("third", IP11);
        assertThat(http.form("PUT", "/v5/accounts/subaccounts/" + STOREFRONT + "/ip_pool", "pool_id", third)
                        .message())
                .isEqualTo("started");
        JsonNode replaced = http.get("/v5/accounts/subaccounts/ip_pools/all").json();
        assertThat(replaced.at("/items/0/pool_id").asText()).isEqualTo(third);
        assertThat(replaced.get("total_count").asInt()).isEqualTo(2);

        Reply revoke = http.delete("/v5/accounts/subaccounts/" + STOREFRONT + "/ip_pool?pool_id=" + third);
        assertThat(revoke.message()).isEqualTo("started");
        assertThat(emulator.state().pool(third).orElseThrow().delegatedTo()).isEmpty();

        Reply unknown = http.form("PUT", "/v5/accounts/subaccounts/6650ffffffffffffffffffff/ip_pool", "pool_id", third);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("account not found");
        Reply missing = http.put("/v5/accounts/subaccounts/" + STOREFRONT + "/ip_pool");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).isEqualTo("invalid request parameters");
    }

    @Test
    void domainIpsCanBeListedAddedAndRemoved() {
        JsonNode ips = http.get("/v3/domains/mail.example.com/ips").json();
        assertThat(texts(ips.get("items"))).containsExactly(IP10, IP11);
        assertThat(ips.get("total_count").asInt()).isEqualTo(2);

        assertThat(http.form("POST", "/v3/domains/mail.example.com/ips", "ip", IP12)
                        .message())
                .isEqualTo("success");
        assertThat(emulator.state().domainIps("mail.example.com")).containsExactly(IP10, IP11, IP12);
        assertThat(http.delete("/v3/domains/mail.example.com/ips/" + IP10).message())
                .isEqualTo("success");
        // The /pool/ path is the same operation; a replacement IP takes the removed one's place.
        assertThat(http.delete("/v3/domains/mail.example.com/pool/" + IP11 + "?ip=" + IP13)
                        .message())
                .isEqualTo("success");
        assertThat(emulator.state().domainIps("mail.example.com")).containsExactly(IP12, IP13);
        Reply notAssigned = http.delete("/v3/domains/mail.example.com/ips/" + IP10);
        assertThat(notAssigned.status()).isEqualTo(404);
    }

    @Test
    void domainsLinkAndUnlinkThroughTheDomainEndpoints() {
        String pool = createPool("p", IP10);
        assertThat(http.form("POST", "/v3/domains/alerts.example.com/ips", "pool_id", pool)
                        .message())
                .isEqualTo("success");
        assertThat(emulator.state().linkedPool("alerts.example.com")).contains(pool);
        assertThat(http.delete("/v3/domains/alerts.example.com/pool/ip_pool?pool_id=" + LEGACY_POOL)
                        .message())
                .isEqualTo("success");
        assertThat(emulator.state().linkedPool("alerts.example.com")).contains(LEGACY_POOL);
    }

    @Test
    void listsAccountIpsWithFilters() {
        JsonNode all = http.get("/v3/ips").json();
        assertThat(all.get("total_count").asInt()).isEqualTo(9);
        assertThat(texts(all.get("items"))).contains(SHARED, WARMING);
        JsonNode warming = all.get("details").get(4);
        assertThat(warming.get("ip").asText()).isEqualTo(WARMING);
        assertThat(warming.get("is_on_warmup").asBoolean()).isTrue();
        assertThat(all.get("details").get(0).has("is_on_warmup")).isFalse();

        assertThat(texts(http.get("/v3/ips?dedicated=true").json().get("items")))
                .doesNotContain(SHARED);
        assertThat(texts(http.get("/v3/ips?dedicated=0").json().get("items"))).containsExactly(SHARED);
        assertThat(http.get("/v3/ips?dedicated=1&enabled=true")
                        .json()
                        .get("total_count")
                        .asInt())
                .isEqualTo(8);
        assertThat(http.get("/v3/ips?enabled=false").json().get("total_count").asInt())
                .isZero();
    }

    @Test
    void readsOneIpAndItsDomains() {
        JsonNode ip = http.get("/v3/ips/" + IP10).json();
        assertThat(ip.get("ip").asText()).isEqualTo(IP10);
        assertThat(ip.get("rdns").asText()).isEqualTo("mta10.mail.example.com");
        assertThat(ip.get("dedicated").asBoolean()).isTrue();

        JsonNode domains = http.get("/v3/ips/" + IP10 + "/domains").json();
        assertThat(domains.get("total_count").asInt()).isEqualTo(2);
        assertThat(domains.at("/items/0/domain").asText()).isEqualTo("mail.example.com");
        assertThat(texts(domains.at("/items/0/ips"))).containsExactly(IP10, IP11);
        assertThat(domains.at("/items/1/domain").asText()).isEqualTo("billing.example.com");

        JsonNode page = http.get("/v3/ips/" + IP10 + "/domains?limit=1&skip=1").json();
        assertThat(page.get("total_count").asInt()).isEqualTo(2);
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.at("/items/0/domain").asText()).isEqualTo("billing.example.com");
        JsonNode search =
                http.get("/v3/ips/" + IP10 + "/domains?search=billing+nothing").json();
        assertThat(search.get("total_count").asInt()).isEqualTo(1);
    }

    @Test
    void v4DomainsExposeIds() {
        JsonNode list = http.get("/v4/domains").json();
        assertThat(list.get("total_count").asInt()).isEqualTo(4);
        assertThat(list.at("/items/0/name").asText()).isEqualTo("mail.example.com");
        assertThat(list.at("/items/0/id").asText()).matches("[0-9a-f]{24}");

        JsonNode one = http.get("/v4/domains/news.example.com").json();
        assertThat(one.at("/domain/id").asText()).isEqualTo(domainId("news.example.com"));
        assertThat(one.at("/domain/name").asText()).isEqualTo("news.example.com");
        assertThat(one.at("/domain/state").asText()).isEqualTo("active");

        Reply created = http.multipart("POST", "/v4/domains", "name", "Fresh.Example.com");
        assertOk(created);
        assertThat(created.json().at("/domain/name").asText()).isEqualTo("fresh.example.com");
        assertThat(created.message()).isEqualTo("Domain DNS records have been created");
        assertThat(http.get("/v4/domains?limit=2&skip=4").json().get("items")).hasSize(1);
        assertThat(http.as(STOREFRONT)
                        .get("/v4/domains")
                        .json()
                        .at("/items/0/name")
                        .asText())
                .isEqualTo("shop.example.org");
        // The older v3 domains paths answer the same way.
        assertOk(http.form("POST", "/v3/domains", "name", "v3.example.com", "ips", IP12));
        assertThat(http.get("/v3/domains/v3.example.com")
                        .json()
                        .at("/domain/id")
                        .asText())
                .isEqualTo(domainId("v3.example.com"));
        assertThat(http.get("/v3/domains").json().get("total_count").asInt()).isEqualTo(6);
    }
}
