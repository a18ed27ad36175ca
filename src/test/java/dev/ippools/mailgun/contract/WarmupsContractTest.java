package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.IpWarmupsPage;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §4.5 IP warm-ups: the client's reading of list and details, start and cancel. */
class WarmupsContractTest extends ContractSupport {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(START);

    @Override
    EmulatorConfig emulatorConfig(AccountFixture fixture) {
        return super.emulatorConfig(fixture).withClock(clock);
    }

    @Test
    void listReadsStageProgressAndDates() {
        clock.advance(Duration.ofHours(6));

        List<IpWarmup> all = client.listAllWarmups();

        assertThat(all).singleElement().satisfies(w -> {
            assertThat(w.ip()).isEqualTo(WARMING);
            assertThat(w.stage()).isEqualTo(1);
            assertThat(w.sentWithinStage()).isEqualTo("25%");
            assertThat(w.stageStartedAt()).isEqualTo(START);
            assertThat(w.stageLimit()).isEqualTo(100);
            assertThat(w.totalStages()).isNull();
        });
        assertThat(calls()).containsExactly("GET /v3/ip_warmups 200");
        assertThat(lastCall().query()).isEqualTo("limit=100");
    }

    @Test
    void detailsReadTheOpenApiNamesAndTheHistory() {
        clock.advance(Duration.ofDays(2).plusHours(12));

        IpWarmup w = client.getWarmup(WARMING);

        assertThat(w.ip()).isEqualTo(WARMING);
        assertThat(w.stage()).isEqualTo(3);
        assertThat(w.totalStages()).isEqualTo(20);
        assertThat(w.sentWithinStage()).isEqualTo("50%");
        assertThat(w.planStartedAt()).isEqualTo(START);
        assertThat(w.stageStartedAt()).isEqualTo(START.plus(Duration.ofDays(2)));
        assertThat(w.stageHistory()).extracting(IpWarmup.Stage::limit).containsExactly(100, 200);
        assertThat(w.stageHistory().get(1).completedAt()).isEqualTo(START.plus(Duration.ofDays(2)));
    }

    @Test
    void startAndCancel() {
        assertThat(client.cancelWarmup(WARMING).message()).isEqualTo("success");
        assertThat(client.listAllWarmups()).isEmpty();
        MailgunApiException gone = catchThrowableOfType(MailgunApiException.class, () -> client.getWarmup(WARMING));
        assertThat(gone.isNotFound()).isTrue();

        assertThat(client.startWarmup(WARMING).message()).isEqualTo("success");

        assertThat(client.getWarmup(WARMING).planStartedAt()).isEqualTo(START);
        assertThat(calls())
                .containsExactly(
                        "DELETE /v3/ip_warmups/{addr} 200",
                        "GET /v3/ip_warmups 200",
                        "GET /v3/ip_warmups/{addr} 404",
                        "POST /v3/ip_warmups/{addr} 200",
                        "GET /v3/ip_warmups/{addr} 200");
    }

    @Test
    void pagesFollowTheCursor() {
        restartWith(AccountFixture.parse("""
            ips:
              - {ip: 198.51.100.10, warmup: true}
              - {ip: 198.51.100.11, warmup: true}
              - {ip: 198.51.100.12, warmup: true}
            """));

        IpWarmupsPage first = client.listWarmups(2, null);
        IpWarmupsPage second = client.listWarmups(2, first.nextPage());

        assertThat(first.warmups()).extracting(IpWarmup::ip).containsExactly(IP10, IP11);
        assertThat(second.warmups()).extracting(IpWarmup::ip).containsExactly(IP12);
    }
}
