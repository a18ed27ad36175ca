package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Mailgun rule 15: background propagation after {@code started}, settle, and the delegation knob.
 */
class EmulatorPropagationTest extends EmulatorTestSupport {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-05T14:11:41Z"));

    @Override
    EmulatorConfig config() {
        return super.config().withClock(clock).withPropagationDelay(Duration.ofSeconds(2));
    }

    @Test
    void rule15_poolMembershipIsImmediateButDomainsFollowAfterTheDelay() {
        Reply reply = http.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10);
        assertThat(reply.message()).isEqualTo("started");
        String reference = reply.json().get("reference_id").asText();

        assertThat(texts(http.get("/v3/ip_pools/" + LEGACY_POOL).json().at("/details/ips")))
                .containsExactly(IP16, IP17, IP10);
        assertThat(texts(http.get("/v3/domains/news.example.com/ips").json().get("items")))
                .containsExactly(IP16, IP17);
        assertThat(http.get("/v3/ips/" + IP10 + "/domains").json().toString()).doesNotContain("news.example.com");
        assertThat(emulator.state().pending()).singleElement().satisfies(op -> {
            assertThat(op.referenceId()).isEqualTo(reference);
            assertThat(op.kind()).isEqualTo("domain-propagation");
            assertThat(op.due()).isEqualTo(Instant.parse("2026-08-05T14:11:43Z"));
        });

        clock.advance(Duration.ofMillis(1999));
        assertThat(texts(http.get("/v3/domains/news.example.com/ips").json().get("items")))
                .containsExactly(IP16, IP17);
        clock.advance(Duration.ofMillis(1));
        assertThat(texts(http.get("/v3/domains/news.example.com/ips").json().get("items")))
                .containsExactly(IP16, IP17, IP10);
        assertThat(http.get("/v3/ips/" + IP10 + "/domains").json().toString()).contains("news.example.com");
        assertThat(emulator.state().pending()).isEmpty();
    }

    @Test
    void linksShowUpInLinkedDomainsOnlyOnceSettled() {
        String pool = createPool("p", IP10);
        Reply link = http.form("PATCH", "/v3/ip_pools/" + pool, "link_domain", "mail.example.com");
        assertThat(link.message()).isEqualTo("started");

        JsonNode details = http.get("/v3/ip_pools/" + pool).json().get("details");
        assertThat(details.get("linked_domains")).isEmpty();
        assertThat(details.get("is_linked").asBoolean()).isFalse();
        assertThat(http.get("/v3/ip_pools/" + pool + "/domains").json().get("domains"))
                .isEmpty();
        assertThat(emulator.state().linkedPool("mail.example.com")).isEmpty();
        // The rules already see the committed link: the domain is frozen.
        Reply frozen = http.form("POST", "/v3/domains/mail.example.com/ips", "ip", IP12);
        assertThat(frozen.status()).isEqualTo(400);

        assertThat(emulator.settle()).isEqualTo(1);
        assertThat(texts(http.get("/v3/ip_pools/" + pool).json().at("/details/linked_domains")))
                .containsExactly("mail.example.com");
        assertThat(http.get("/v3/ip_pools/" + pool + "/domains")
                        .json()
                        .at("/domains/0/name")
                        .asText())
                .isEqualTo("mail.example.com");
        assertThat(emulator.state().domainIps("mail.example.com")).containsExactly(IP10);
    }

    @Test
    void successiveChangesBecomeVisibleInOrder() {
        http.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10);
        clock.advance(Duration.ofSeconds(1));
        http.delete("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP16);
        clock.advance(Duration.ofSeconds(1));
        assertThat(emulator.state().domainIps("news.example.com")).containsExactly(IP16, IP17, IP10);
        clock.advance(Duration.ofSeconds(1));
        assertThat(emulator.state().domainIps("news.example.com")).containsExactly(IP17, IP10);
    }

    @Test
    void settleAndConfigOverHttp() {
        EmulatorHttp admin = new EmulatorHttp(emulator.url(), null, null);
        http.delete("/v3/domains/news.example.com/ips/ip_pool?ip=" + IP10);
        assertThat(emulator.state().linkedPool("news.example.com")).contains(LEGACY_POOL);
        JsonNode settled = admin.send("POST", "/_emulator/settle", emptyBody()).json();
        assertThat(settled.get("applied").asInt()).isEqualTo(1);
        assertThat(emulator.state().linkedPool("news.example.com")).isEmpty();

        JsonNode config = admin.json("PUT", "/_emulator/config", "{\"propagationDelayMs\":0}")
                .json();
        assertThat(config.get("propagationDelayMs").asLong()).isZero();
        http.form("POST", "/v3/domains/news.example.com/ips", "pool_id", LEGACY_POOL);
        assertThat(emulator.state().linkedPool("news.example.com")).contains(LEGACY_POOL);
        assertThat(admin.get("/_emulator/config")
                        .json()
                        .get("failDelegationMidway")
                        .asBoolean())
                .isFalse();
        Reply bad = admin.json("PUT", "/_emulator/config", "{\"propagationDelayMs\":-1}");
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void delegationIsBackgroundWork() {
        assertThat(http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT)
                        .message())
                .isEqualTo("success");
        assertThat(http.as(STOREFRONT).get("/v3/ip_pools").json().get("ip_pools"))
                .isEmpty();
        assertThat(emulator.state().pending())
                .singleElement()
                .extracting("kind")
                .isEqualTo("delegation");
        // A second call while the first is pending starts nothing new.
        http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT);
        assertThat(emulator.state().pending()).hasSize(1);
        emulator.settle();
        assertThat(http.as(STOREFRONT)
                        .get("/v3/ip_pools")
                        .json()
                        .at("/ip_pools/0/pool_id")
                        .asText())
                .isEqualTo(LEGACY_POOL);
    }

    @Test
    void failMidwayStopsADelegationSagaHalfway() {
        emulator.setPropagationDelay(Duration.ZERO);
        http.form("PUT", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT);
        http.as(STOREFRONT).form("POST", "/v3/domains/shop.example.org/ips", "pool_id", LEGACY_POOL);
        assertThat(emulator.state().linkedPool("shop.example.org")).contains(LEGACY_POOL);

        emulator.setFailDelegationMidway(true);
        Reply revoke = http.form("DELETE", "/v3/ip_pools/" + LEGACY_POOL + "/delegate", "subaccount_id", STOREFRONT);
        assertThat(revoke.message()).isEqualTo("started");
        // Step one (unlink the subaccount's domain) ran; step two (drop the delegation) did not.
        EmulatorSnapshot state = emulator.state();
        assertThat(state.linkedPool("shop.example.org")).isEmpty();
        assertThat(state.pool(LEGACY_POOL).orElseThrow().delegatedTo()).containsExactly(STOREFRONT);
        assertThat(state.failedOperations()).singleElement().satisfies(failed -> {
            assertThat(failed.referenceId())
                    .isEqualTo(revoke.json().get("reference_id").asText());
            assertThat(failed.appliedSteps()).isEqualTo(1);
            assertThat(failed.totalSteps()).isEqualTo(2);
        });

        String other = createPool("other", IP10);
        assertThat(http.form("PUT", "/v3/ip_pools/" + other + "/delegate", "subaccount_id", MARKETING)
                        .message())
                .isEqualTo("success");
        assertThat(emulator.state().pool(other).orElseThrow().delegatedTo()).isEmpty();
        assertThat(emulator.state().failedOperations()).hasSize(2);
    }

    @Test
    void wallClockDelayAppliesWithoutSettle() {
        try (MailgunEmulator real = MailgunEmulator.start(
                EmulatorConfig.defaults().withApiKey(KEY).withPropagationDelay(Duration.ofMillis(200)))) {
            EmulatorHttp client = new EmulatorHttp(real.url(), KEY, null);
            client.put("/v3/ip_pools/" + LEGACY_POOL + "/ips/" + IP10);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> texts(client.get("/v3/domains/news.example.com/ips")
                                    .json()
                                    .get("items"))
                            .contains(IP10));
            assertThat(real.state().pending()).isEmpty();
        }
    }

    private static okhttp3.RequestBody emptyBody() {
        return okhttp3.RequestBody.create(new byte[0], null);
    }
}
