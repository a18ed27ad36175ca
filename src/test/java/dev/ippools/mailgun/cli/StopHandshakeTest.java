package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StopHandshakeTest {

    @Test
    void theFirstRequestWinsAndKeepsItsExitCode() throws InterruptedException {
        StopHandshake stop = new StopHandshake();
        assertThat(stop.isRequested()).isFalse();
        assertThat(stop.awaitRequest(Duration.ofMillis(10))).isFalse();
        assertThat(stop.exitCode()).isZero();

        assertThat(stop.request(3)).isTrue();
        assertThat(stop.request(0)).isFalse();

        assertThat(stop.isRequested()).isTrue();
        assertThat(stop.awaitRequest(Duration.ofMillis(10))).isTrue();
        assertThat(stop.exitCode()).isEqualTo(3);
    }
}
