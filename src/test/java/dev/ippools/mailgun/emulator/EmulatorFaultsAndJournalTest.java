package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import java.time.Instant;
import java.util.List;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** Fault injection, the request journal and the rest of the admin API. */
class EmulatorFaultsAndJournalTest extends EmulatorTestSupport {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-05T14:11:41Z"));
    private EmulatorHttp admin;

    @Override
    EmulatorConfig config() {
        return super.config().withClock(clock).withFaultSeed(7);
    }

    private EmulatorHttp admin() {
        if (admin == null) {
            admin = new EmulatorHttp(emulator.url(), null, null);
        }
        return admin;
    }

    @Test
    void rateLimitFaultsCarryMailgunHeadersAndAreJournaled() {
        emulator.faults()
                .add(Fault.status("GET", "^/v3/ip_pools$", 429).withCount(1).withResetAfterSeconds(30));
        Reply limited = http.get("/v3/ip_pools");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(limited.message()).isEqualTo("Too Many Requests");
        assertThat(limited.headers().get("X-RateLimit-Limit")).isEqualTo("100");
        assertThat(limited.headers().get("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.headers().get("X-RateLimit-Reset"))
                .isEqualTo(String.valueOf(clock.instant().getEpochSecond() + 30));
        assertThat(http.get("/v3/ip_pools").status()).isEqualTo(200);
        assertThat(emulator.faults().list()).isEmpty();
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::status)
                .containsExactly(429, 200);
    }

    @Test
    void serverErrorFaultsOverHttpLeaveTheStateAlone() {
        Reply added = admin().json(
                        "POST",
                        "/_emulator/faults",
                        "{\"method\":\"POST\",\"pathPattern\":\"/v3/ip_pools\",\"status\":503}");
        assertThat(added.status()).isEqualTo(200);
        EmulatorSnapshot before = emulator.state();
        Reply failed = http.form("POST", "/v3/ip_pools", "name", "n", "description", "d");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.message()).isEqualTo("Service Unavailable");
        assertThat(emulator.state()).isEqualTo(before);
        assertThat(http.get("/v3/ip_pools").status()).isEqualTo(200);
        assertThat(admin().get("/_emulator/faults").json()).hasSize(1);

        assertThat(admin().delete("/_emulator/faults").status()).isEqualTo(200);
        assertOk(http.form("POST", "/v3/ip_pools", "name", "n", "description", "d"));
        // Faults hit before authentication, like a gateway in front of Mailgun.
        emulator.faults().add(Fault.status(null, "ips", 500));
        assertThat(http.withKey("wrong").get("/v3/ips").status()).isEqualTo(500);
    }

    @Test
    void latencyFaultsDelayTheAnswer() {
        emulator.faults().add(Fault.latency(null, "^/v3/ips$", 300));
        long start = System.nanoTime();
        Reply reply = http.get("/v3/ips");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(reply.status()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
        emulator.faults().add(Fault.status(null, "^/v3/ip_pools$", 502).withLatencyMs(100));
        assertThat(http.get("/v3/ip_pools").status()).isEqualTo(502);
    }

    @Test
    void aServerErrorAfterProcessingCommitsTheChangeFirst() {
        Reply added = admin().json(
                        "POST",
                        "/_emulator/faults",
                        "{\"method\":\"POST\",\"pathPattern\":\"^/v3/ip_pools$\",\"status\":503,"
                                + "\"afterProcessing\":true,\"count\":1}");
        assertThat(added.status()).isEqualTo(200);
        int before = emulator.state().pools().size();

        Reply failed = http.form("POST", "/v3/ip_pools", "name", "late", "description", "d");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(emulator.state().pools()).hasSize(before + 1);
        assertThat(emulator.state().poolNamed("late")).isPresent();
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::status)
                .containsExactly(503);
    }

    @Test
    void latencyAfterProcessingShowsTheChangeBeforeTheAnswer() throws Exception {
        emulator.faults().add(Fault.latency("POST", "^/v3/ip_pools$", 1_000).afterCommit());
        var answer = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> http.form("POST", "/v3/ip_pools", "name", "slow", "description", "d"));

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> emulator.state().poolNamed("slow").isPresent());
        assertThat(answer).isNotDone();
        assertThat(answer.get().status()).isEqualTo(200);
    }

    @Test
    void aConnectionResetAnswersNothingBeforeOrAfterTheChange() {
        emulator.faults().add(Fault.connectionReset("POST", "^/v3/ip_pools$").withCount(1));
        assertThatThrownBy(() -> http.form("POST", "/v3/ip_pools", "name", "r1", "description", "d"))
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(emulator.state().poolNamed("r1")).isEmpty();

        Reply added = admin().json(
                        "POST",
                        "/_emulator/faults",
                        "{\"method\":\"POST\",\"pathPattern\":\"^/v3/ip_pools$\",\"reset\":true,"
                                + "\"afterProcessing\":true,\"count\":1}");
        assertThat(added.status()).isEqualTo(200);
        assertThatThrownBy(() -> http.form("POST", "/v3/ip_pools", "name", "r2", "description", "d"))
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(emulator.state().poolNamed("r2")).isPresent();
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::status)
                .containsExactly(0, 0);
        assertThat(admin().json("POST", "/_emulator/faults", "{\"status\":500,\"reset\":true}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void rateAndCountLimitWhichCallsAreHit() {
        emulator.faults().add(Fault.status(null, "/v3/ips", 500).withRate(0));
        assertThat(http.get("/v3/ips").status()).isEqualTo(200);
        emulator.faults().clear();

        emulator.faults().add(Fault.status(null, "/v3/ips", 500).withRate(0.5));
        int hits = 0;
        for (int i = 0; i < 40; i++) {
            if (http.get("/v3/ips").status() == 500) {
                hits++;
            }
        }
        assertThat(hits).isBetween(8, 32);
        emulator.faults().clear();

        emulator.faults().add(Fault.status("GET", "/v3/ips", 500).withCount(2));
        assertThat(List.of(
                        http.get("/v3/ips").status(),
                        http.get("/v3/ips").status(),
                        http.get("/v3/ips").status()))
                .containsExactly(500, 500, 200);
    }

    @Test
    void invalidFaultsAreRejected() {
        assertThat(admin().json("POST", "/_emulator/faults", "{\"status\":200}").status())
                .isEqualTo(400);
        assertThat(admin().json("POST", "/_emulator/faults", "{\"status\":500,\"pathPattern\":\"(\"}")
                        .message())
                .contains("pathPattern");
        assertThat(admin().json("POST", "/_emulator/faults", "{\"status\":500,\"rate\":2}")
                        .status())
                .isEqualTo(400);
        assertThat(admin().json("POST", "/_emulator/faults", "{\"statuz\":500}").status())
                .isEqualTo(400);
        assertThat(admin().json("POST", "/_emulator/faults", "{}").status()).isEqualTo(400);
        assertThatThrownBy(() -> Fault.status(null, null, 302)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void journalRecordsEveryApiCallButNoAdminCall() {
        http.get("/v3/ip_pools/" + LEGACY_POOL + "/domains?limit=10");
        http.as(STOREFRONT).get("/v3/ips");
        http.withKey("bad").get("/v3/ips");
        http.get("/v9/unknown");
        admin().get("/_emulator/state");

        List<JournalEntry> entries = emulator.journal().entries();
        assertThat(entries).hasSize(4);
        JournalEntry first = entries.get(0);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo("/v3/ip_pools/" + LEGACY_POOL + "/domains");
        assertThat(first.endpoint()).isEqualTo("GET /v3/ip_pools/{pool_id}/domains");
        assertThat(first.query()).isEqualTo("limit=10");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.onBehalfOf()).isNull();
        assertThat(first.timestamp()).isEqualTo(clock.instant());
        assertThat(entries.get(1).onBehalfOf()).isEqualTo(STOREFRONT);
        assertThat(entries.get(2).status()).isEqualTo(401);
        assertThat(entries.get(3).endpoint()).isNull();
        assertThat(entries.get(3).status()).isEqualTo(404);
        assertThat(emulator.journal().entries("GET /v3/ips")).hasSize(2);

        JsonNode overHttp = admin().get("/_emulator/journal").json();
        assertThat(overHttp).hasSize(4);
        assertThat(overHttp.get(0).get("endpoint").asText()).isEqualTo("GET /v3/ip_pools/{pool_id}/domains");
        assertThat(overHttp.get(0).get("timestamp").asText()).isEqualTo("2026-08-05T14:11:41Z");
        assertThat(overHttp.get(1).get("onBehalfOf").asText()).isEqualTo(STOREFRONT);

        assertThat(admin().delete("/_emulator/journal").status()).isEqualTo(200);
        assertThat(emulator.journal().entries()).isEmpty();
        http.get("/v3/ips");
        assertThat(emulator.journal().entries().get(0).seq()).isEqualTo(5);
    }

    @Test
    void stateDumpAndResetOverHttp() {
        String pool = createPool("temporary", IP10);
        JsonNode state = admin().get("/_emulator/state").json();
        assertThat(state.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(state.get("pools")).hasSize(2);
        assertThat(state.get("domains")).hasSize(6);
        assertThat(state.get("subaccounts")).hasSize(2);
        assertThat(state.toString()).contains(pool);

        Reply reset = admin().send("POST", "/_emulator/reset", RequestBody.create(new byte[0], null));
        assertThat(reset.status()).isEqualTo(200);
        assertThat(emulator.state().pool(pool)).isEmpty();
        assertThat(emulator.state().pools()).hasSize(1);
        assertThat(admin().get("/_emulator/nothing").status()).isEqualTo(404);
    }
}
