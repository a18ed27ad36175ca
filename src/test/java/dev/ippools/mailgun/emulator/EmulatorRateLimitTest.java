package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippools.mailgun.emulator.EmulatorHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code --rate-limit}: calls per second and key, refused like Mailgun refuses them. */
class EmulatorRateLimitTest extends EmulatorTestSupport {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-05T14:11:41.250Z"));

    @Override
    EmulatorConfig config() {
        return super.config().withClock(clock);
    }

    @Test
    void callsBeyondTheLimitGet429WithMailgunHeadersUntilTheNextSecond() {
        emulator.setRateLimit(3);
        assertThat(emulator.rateLimit()).isEqualTo(3);
        EmulatorSnapshot before = emulator.state();
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/v3/ip_pools").status()).isEqualTo(200);
        }
        // Wrong keys are turned away before they are counted.
        assertThat(http.withKey("wrong").get("/v3/ips").status()).isEqualTo(401);
        Reply limited = http.form("POST", "/v3/ip_pools", "name", "n", "description", "d");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.message()).isEqualTo("Too Many Requests");
        assertThat(limited.headers().get("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(limited.headers().get("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.headers().get("X-RateLimit-Reset"))
                .isEqualTo(String.valueOf(clock.instant().getEpochSecond() + 1));
        assertThat(emulator.state()).isEqualTo(before);

        clock.advance(Duration.ofMillis(750));
        assertThat(http.get("/v3/ips").status()).isEqualTo(200);
        assertThat(emulator.journal().entries())
                .extracting(JournalEntry::status)
                .containsExactly(200, 200, 200, 401, 429, 200);
    }

    @Test
    void noLimitByDefaultAndZeroTurnsItOff() {
        assertThat(emulator.rateLimit()).isZero();
        emulator.setRateLimit(1);
        assertThat(http.get("/v3/ip_pools").status()).isEqualTo(200);
        assertThat(http.get("/v3/ip_pools").status()).isEqualTo(429);
        emulator.setRateLimit(0);
        for (int i = 0; i < 20; i++) {
            assertThat(http.get("/v3/ip_pools").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> emulator.setRateLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
