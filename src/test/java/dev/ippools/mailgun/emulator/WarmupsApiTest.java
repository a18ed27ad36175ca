package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code /v3/ip_warmups}: progress on the emulator's clock, start, cancel, and pool rule 3. */
class WarmupsApiTest extends EmulatorTestSupport {

    private static final String COLD = "198.51.100.20";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));

    @Override
    EmulatorConfig config() {
        return EmulatorConfig.defaults().withApiKey(KEY).withClock(clock).withFixture(fixtureWith("""
                warmupPlan: {stages: 4, stageDuration: PT10S}
                ips:
                  - {ip: 198.51.100.10}
                  - {ip: 198.51.100.14, warmup: true, warmupStage: 2}
                  - {ip: 198.51.100.20, warm: false}
                  - {ip: 203.0.113.5, dedicated: false}
                """));
    }

    @Test
    void listsRunningWarmupsWithTheirStage() {
        clock.advance(Duration.ofSeconds(5));

        JsonNode list = ok(http.get("/v3/ip_warmups"));

        assertThat(list.get("items")).hasSize(1);
        JsonNode item = list.get("items").get(0);
        assertThat(item.get("ip").asText()).isEqualTo(WARMING);
        assertThat(item.get("stage_number").asInt()).isEqualTo(2);
        assertThat(item.get("sent_within_stage").asText()).isEqualTo("50%");
        assertThat(item.get("stage_start_time").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(item.get("stage_volume_limit").asInt()).isEqualTo(200);
        assertThat(list.get("paging").get("next").asText()).contains("/v3/ip_warmups?limit=10&page=");
    }

    @Test
    void detailsCarryBothSpellingsAndTheStageHistory() {
        JsonNode details = ok(http.get("/v3/ip_warmups/" + WARMING)).get("details");

        assertThat(details.get("stage").asInt()).isEqualTo(2);
        assertThat(details.get("stage_number").asInt()).isEqualTo(2);
        assertThat(details.get("total_stages").asInt()).isEqualTo(4);
        assertThat(details.get("plan_started_at").asText()).isEqualTo("2026-02-28T23:59:50Z");
        assertThat(details.get("stage_history")).hasSize(1);
        assertThat(details.get("stage_history").get(0).get("completed_at").asText())
                .isEqualTo("2026-03-01T00:00:00Z");
    }

    @Test
    void aWarmupEndsAfterItsLastStageAndTheIpMayJoinAPool() {
        String pool = createPool("p", IP10);
        assertRejected(() -> http.put("/v3/ip_pools/" + pool + "/ips/" + WARMING), 400, "on warmup");
        assertThat(ok(http.get("/v3/ips")).get("assignable_to_pools").toString())
                .doesNotContain(WARMING);

        clock.advance(Duration.ofSeconds(30));

        assertThat(ok(http.get("/v3/ip_warmups")).get("items")).isEmpty();
        assertThat(http.get("/v3/ip_warmups/" + WARMING).status()).isEqualTo(404);
        JsonNode ips = ok(http.get("/v3/ips"));
        assertThat(ips.get("details").toString()).doesNotContain("is_on_warmup");
        assertThat(ips.get("assignable_to_pools").toString()).contains(WARMING);
        ok(http.put("/v3/ip_pools/" + pool + "/ips/" + WARMING));
    }

    @Test
    void aNewIpIsKeptOutOfPoolsUntilItsStartedWarmupEnds() {
        String pool = createPool("p", IP10);
        assertRejected(() -> http.put("/v3/ip_pools/" + pool + "/ips/" + COLD), 400, "has not been warmed up");

        assertThat(ok(http.form("POST", "/v3/ip_warmups/" + COLD))
                        .get("message")
                        .asText())
                .isEqualTo("success");
        assertRejected(() -> http.form("POST", "/v3/ip_warmups/" + COLD), 400, "already warming");
        JsonNode details = ok(http.get("/v3/ip_warmups/" + COLD)).get("details");
        assertThat(details.get("stage").asInt()).isEqualTo(1);
        assertThat(details.get("plan_started_at").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertRejected(() -> http.put("/v3/ip_pools/" + pool + "/ips/" + COLD), 400, "on warmup");

        clock.advance(Duration.ofSeconds(40));
        ok(http.put("/v3/ip_pools/" + pool + "/ips/" + COLD));
    }

    @Test
    void cancellingLeavesTheIpCold() {
        assertThat(ok(http.delete("/v3/ip_warmups/" + WARMING)).get("message").asText())
                .isEqualTo("success");

        assertThat(http.get("/v3/ip_warmups/" + WARMING).status()).isEqualTo(404);
        assertThat(http.delete("/v3/ip_warmups/" + WARMING).status()).isEqualTo(404);
        String pool = createPool("p", IP10);
        assertRejected(() -> http.put("/v3/ip_pools/" + pool + "/ips/" + WARMING), 400, "not been warmed up");
    }

    @Test
    void theAdminConfigSetsTheSpeedOfNewWarmups() {
        EmulatorHttp admin = new EmulatorHttp(emulator.url(), null, null);
        JsonNode config =
                ok(admin.json("PUT", "/_emulator/config", "{\"warmupStages\": 2, \"warmupStageDurationMs\": 500}"));
        assertThat(config.get("warmupStages").asInt()).isEqualTo(2);
        assertThat(config.get("warmupStageDurationMs").asLong()).isEqualTo(500);
        assertThat(admin.json("PUT", "/_emulator/config", "{\"warmupStages\": 0}")
                        .status())
                .isEqualTo(400);

        ok(http.form("POST", "/v3/ip_warmups/" + COLD));
        assertThat(ok(http.get("/v3/ip_warmups/" + COLD))
                        .get("details")
                        .get("total_stages")
                        .asInt())
                .isEqualTo(2);
        // the warm-up that was running keeps its plan of 4 stages
        assertThat(ok(http.get("/v3/ip_warmups/" + WARMING))
                        .get("details")
                        .get("total_stages")
                        .asInt())
                .isEqualTo(4);
        clock.advance(Duration.ofSeconds(1));

        assertThat(http.get("/v3/ip_warmups/" + COLD).status()).isEqualTo(404);
        assertThat(ok(http.get("/v3/ips")).get("assignable_to_pools").toString())
                .contains(COLD);
    }

    @Test
    void onlyTheAccountsDedicatedIpsWarmUp() {
        assertRejected(() -> http.form("POST", "/v3/ip_warmups/" + SHARED), 400, "not a dedicated");
        assertRejected(() -> http.form("POST", "/v3/ip_warmups/" + UNKNOWN_IP), 404, "ip not found");
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }
}
