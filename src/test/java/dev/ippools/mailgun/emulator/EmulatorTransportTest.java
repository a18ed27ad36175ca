package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** Mailgun rule 20: auth, content types, parameter sources, subaccount header, unknown paths. */
class EmulatorTransportTest extends EmulatorTestSupport {

    @Test
    void rule20_wrongOrMissingKeyGetsPlainTextForbidden() {
        for (Reply reply : new Reply[] {
            http.withKey("wrong").get("/v3/ip_pools"),
            http.withKey(null).get("/v3/ip_pools"),
            http.withKey("wrong").form("POST", "/v3/ip_pools", "name", "n", "description", "d")
        }) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(reply.body()).isEqualTo("Forbidden");
            assertThat(reply.headers().get("Www-Authenticate")).isEqualTo("Basic realm=\"MG API\"");
        }
        Request otherUser = new Request.Builder()
                .url(emulator.url() + "/v3/ip_pools")
                .header("Authorization", Credentials.basic("admin", KEY))
                .build();
        assertThat(EmulatorHttp.execute(otherUser).status()).isEqualTo(401);
        assertThat(emulator.state().pools()).hasSize(1);
    }

    @Test
    void unknownPathsAndMethodsAreJsonNotFound() {
        Reply reply = http.get("/v3/nothing/here");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(reply.message()).isEqualTo("not found");
        assertThat(http.send("POST", "/v3/ips", RequestBody.create(new byte[0], null))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void urlEncodedMultipartAndJsonBodiesAreAllAccepted() {
        String urlEncoded = createdPool(http.form("POST", "/v3/ip_pools", "name", "a", "description", "A", "ip", IP10));
        String multipart =
                createdPool(http.multipart("POST", "/v3/ip_pools", "name", "b", "description", "B", "ip", IP11));
        String json = createdPool(
                http.json("POST", "/v3/ip_pools", "{\"name\":\"c\",\"description\":\"C\",\"ip\":[\"" + IP12 + "\"]}"));
        assertThat(emulator.state().pool(urlEncoded).orElseThrow().ips()).containsExactly(IP10);
        assertThat(emulator.state().pool(multipart).orElseThrow().ips()).containsExactly(IP11);
        assertThat(emulator.state().pool(json).orElseThrow().ips()).containsExactly(IP12);
        assertThat(emulator.state().pool(multipart).orElseThrow().description()).isEqualTo("B");
    }

    @Test
    void parametersComeFromTheQueryStringToo() {
        String id = createdPool(http.send(
                "POST", "/v3/ip_pools?name=q&description=Q&ip=" + IP10, RequestBody.create(new byte[0], null)));
        assertThat(emulator.state().pool(id).orElseThrow().name()).isEqualTo("q");
        assertOk(http.send("PATCH", "/v3/ip_pools/" + id + "?add_ip=" + IP11, RequestBody.create(new byte[0], null)));
        assertThat(emulator.state().pool(id).orElseThrow().ips()).containsExactly(IP10, IP11);
    }

    @Test
    void repeatedFieldsAreAllRead() {
        String id = createPool("r");
        assertOk(http.multipart("PATCH", "/v3/ip_pools/" + id, "add_ip", IP10, "add_ip", IP11, "add_ip", IP12));
        assertThat(emulator.state().pool(id).orElseThrow().ips()).containsExactly(IP10, IP11, IP12);
        assertOk(http.form("PATCH", "/v3/ip_pools/" + id, "remove_ip", IP10, "remove_ip", IP11));
        assertThat(emulator.state().pool(id).orElseThrow().ips()).containsExactly(IP12);
    }

    @Test
    void deleteReadsTheBodyInEveryEncoding() {
        String a = createPool("a", IP10);
        String b = createPool("b", IP11);
        String c = createPool("c", IP12);
        assertOk(http.multipart("DELETE", "/v3/ip_pools/" + a, "ip", IP10));
        assertOk(http.form("DELETE", "/v3/ip_pools/" + b, "ip", IP11));
        assertOk(http.delete("/v3/ip_pools/" + c + "?ip=" + IP12));
        assertOk(http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", MARKETING));
        assertOk(http.multipart("DELETE", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", MARKETING));
        assertThat(emulator.state().pools()).hasSize(1);
    }

    @Test
    void v1PoolPathsAreAnAliasOfV3() {
        Reply list = http.get("/v1/ip_pools");
        assertOk(list);
        assertThat(list.json().at("/ip_pools/0/pool_id").asText()).isEqualTo(LEGACY_POOL);
        Reply created = http.form("POST", "/v1/ip_pools", "name", "old", "description", "d", "ips", IP10);
        String id = createdPool(created);
        assertThat(http.get("/v3/ip_pools/" + id).json().at("/details/name").asText())
                .isEqualTo("old");
        assertThat(emulator.journal().entries().get(1).endpoint()).isEqualTo("POST /v1/ip_pools");
    }

    @Test
    void onBehalfOfActsAsTheSubaccountAndOtherAccountHeadersAreIgnored() {
        EmulatorHttp sub = http.as(STOREFRONT);
        assertThat(texts(sub.get("/v3/ips").json().get("items"))).containsExactly(IP15);
        String own = createdPool(sub.form("POST", "/v3/ip_pools", "name", "mine", "description", "d", "ip", IP15));
        assertThat(emulator.state().pool(own).orElseThrow().ownerAccountId()).isEqualTo(STOREFRONT);
        // The parent does not see the subaccount's pool.
        assertThat(http.get("/v3/ip_pools/" + own).status()).isEqualTo(404);

        Reply unknown = http.as("6650ffffffffffffffffffff").get("/v3/ip_pools");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("account not found");

        Request withGatewayHeaders = new Request.Builder()
                .url(emulator.url() + "/v3/ip_pools")
                .header("Authorization", Credentials.basic("api", KEY))
                .header("X-Mailgun-Account-Id", MARKETING)
                .header("X-Mailgun-Requestor", "someone")
                .build();
        Reply ignored = EmulatorHttp.execute(withGatewayHeaders);
        assertThat(ignored.json().at("/ip_pools/0/pool_id").asText()).isEqualTo(LEGACY_POOL);
        assertThat(http.as(ACCOUNT).get("/v3/ip_pools").json().get("ip_pools")).hasSize(1);
    }

    @Test
    void ipv6AddressesAreUrlEncodedInPaths() {
        AccountFixture fixture = AccountFixture.parse("""
            accountId: 5f0c1a2b3c4d5e6f70819203
            ips:
              - ip: "2001:db8::1"
              - ip: 198.51.100.10
            domains:
              - name: v6.example.com
                ips: ["2001:db8::1", 198.51.100.10]
            """);
        try (MailgunEmulator v6 = MailgunEmulator.start(config().withFixture(fixture))) {
            EmulatorHttp client = new EmulatorHttp(v6.url(), KEY, null);
            assertThat(client.get("/v3/ips/2001%3Adb8%3A%3A1").json().get("ip").asText())
                    .isEqualTo("2001:db8::1");
            String id = createdPool(client.form("POST", "/v3/ip_pools", "name", "six", "description", "d"));
            assertThat(client.put("/v3/ip_pools/" + id + "/ips/2001%3Adb8%3A%3A1")
                            .message())
                    .isEqualTo("started");
            assertOk(client.delete("/v3/domains/v6.example.com/ips/2001%3Adb8%3A%3A1"));
            assertThat(v6.state().domainIps("v6.example.com")).containsExactly("198.51.100.10");
        }
    }

    @Test
    void malformedBodiesAreBadRequests() {
        Reply json =
                http.send("POST", "/v3/ip_pools", RequestBody.create("{not json", MediaType.get("application/json")));
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.message()).isEqualTo("malformed JSON body");
        Reply multipart = http.send(
                "POST",
                "/v3/ip_pools",
                RequestBody.create("garbage", MediaType.get("multipart/form-data; boundary=xyz")));
        assertThat(multipart.status()).isEqualTo(400);
    }

    private static String createdPool(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("pool_id").asText();
    }
}
