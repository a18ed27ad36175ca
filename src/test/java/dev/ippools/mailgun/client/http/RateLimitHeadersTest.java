package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void resetIsEpochSecondsPossiblyFractional() {
        long epoch = NOW.getEpochSecond();
        assertThat(RateLimitHeaders.parseReset(String.valueOf(epoch + 5), NOW)).contains(NOW.plusSeconds(5));
        assertThat(RateLimitHeaders.parseReset(" " + (epoch + 5) + ".5 ", NOW)).contains(NOW.plusMillis(5500));
    }

    @Test
    void resetInMillisecondsOrAsADeltaIsUnderstood() {
        long epochMillis = NOW.toEpochMilli();
        assertThat(RateLimitHeaders.parseReset(String.valueOf(epochMillis + 1500), NOW))
                .contains(NOW.plusMillis(1500));
        assertThat(RateLimitHeaders.parseReset("12", NOW)).contains(NOW.plusSeconds(12));
    }

    @Test
    void garbageIsIgnored() {
        assertThat(RateLimitHeaders.parseReset("soon", NOW)).isEmpty();
        assertThat(RateLimitHeaders.parseReset("-5", NOW)).isEmpty();
        assertThat(RateLimitHeaders.parseReset(null, NOW)).isEmpty();
        assertThat(RateLimitHeaders.parseRetryAfter("tomorrow-ish", NOW)).isEmpty();
        assertThat(RateLimitHeaders.parseRetryAfter("", NOW)).isEmpty();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(RateLimitHeaders.parseRetryAfter("7", NOW)).contains(NOW.plusSeconds(7));
        assertThat(RateLimitHeaders.parseRetryAfter("Sun, 01 Mar 2026 12:00:09 GMT", NOW))
                .contains(NOW.plusSeconds(9));
    }

    @Test
    void aResetInThePastMeansNoWait() {
        assertThat(RateLimitHeaders.until(NOW, NOW.minusSeconds(3))).isZero();
    }
}
