package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts an emulator on the bundled fixture for each test, with helpers shared by the tests. */
abstract class EmulatorTestSupport {

    static final String KEY = "test-key";
    static final String ACCOUNT = "5f0c1a2b3c4d5e6f70819203";
    static final String STOREFRONT = "6a1b2c3d4e5f60718293a4b5";
    static final String MARKETING = "6a1b2c3d4e5f60718293a4b6";
    static final String LEGACY_POOL = "64b0c0ffee00000000000001";
    static final String IP10 = "198.51.100.10";
    static final String IP11 = "198.51.100.11";
    static final String IP12 = "198.51.100.12";
    static final String IP13 = "198.51.100.13";
    static final String WARMING = "198.51.100.14";
    static final String IP15 = "198.51.100.15";
    static final String IP16 = "198.51.100.16";
    static final String IP17 = "198.51.100.17";
    static final String SHARED = "203.0.113.5";
    static final String UNKNOWN_IP = "192.0.2.99";

    MailgunEmulator emulator;
    EmulatorHttp http;

    /** The config each test starts with; override to change the fixture or settings. */
    EmulatorConfig config() {
        return EmulatorConfig.defaults().withApiKey(KEY);
    }

    @BeforeEach
    void startEmulator() {
        emulator = MailgunEmulator.start(config());
        http = new EmulatorHttp(emulator.url(), KEY, null);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    static AccountFixture fixtureWith(String yamlOverrides) {
        return AccountFixture.parse(yamlOverrides);
    }

    /** Creates a pool through the API and returns its id. */
    String createPool(String name, String... ips) {
        List<String> pairs = new ArrayList<>(List.of("name", name, "description", name + " pool"));
        for (String ip : ips) {
            pairs.add("ip");
            pairs.add(ip);
        }
        Reply reply = http.multipart("POST", "/v3/ip_pools", pairs.toArray(String[]::new));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("pool_id").asText();
    }

    String domainId(String name) {
        return emulator.state().domain(name).orElseThrow().id();
    }

    /** Asserts a JSON rejection and that the account state did not move. */
    Reply assertRejected(Supplier<Reply> call, int status, String messagePart) {
        EmulatorSnapshot before = emulator.state();
        Reply reply = call.get();
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(reply.message()).contains(messagePart);
        assertThat(emulator.state()).isEqualTo(before);
        return reply;
    }

    static void assertOk(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
