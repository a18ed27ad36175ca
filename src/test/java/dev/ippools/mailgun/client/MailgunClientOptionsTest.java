package dev.ippools.mailgun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MailgunClientOptionsTest {

    @Test
    void defaults() {
        MailgunClientOptions options =
                MailgunClientOptions.builder().apiKey("k").build();

        assertThat(options.region()).isEqualTo(MailgunRegion.US);
        assertThat(options.baseUrl()).isEqualTo("https://api.mailgun.net");
        assertThat(options.subaccountId()).isNull();
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.callTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.maxRetries()).isEqualTo(3);
        assertThat(options.retryBaseDelay()).isPositive();
        assertThat(options.retryMaxDelay()).isGreaterThanOrEqualTo(options.retryBaseDelay());
        assertThat(options.rateLimiter().permitsPerSecond()).isEqualTo(MailgunClientOptions.DEFAULT_PERMITS_PER_SECOND);
        assertThat(options.listener()).isSameAs(MailgunCallListener.NONE);
        assertThat(options.okHttpClient()).isNull();
    }

    @Test
    void regionsHaveTheirOwnHosts() {
        assertThat(MailgunClientOptions.builder()
                        .apiKey("k")
                        .region(MailgunRegion.EU)
                        .build()
                        .baseUrl())
                .isEqualTo("https://api.eu.mailgun.net");
        assertThat(MailgunRegion.US.baseUrl()).isEqualTo("https://api.mailgun.net");
    }

    @Test
    void anExplicitBaseUrlWinsOverTheRegion() {
        MailgunClientOptions options = MailgunClientOptions.builder()
                .apiKey("k")
                .region(MailgunRegion.EU)
                .baseUrl("http://localhost:8025/mailgun")
                .build();

        assertThat(options.baseUrl()).isEqualTo("http://localhost:8025/mailgun");
        assertThat(options.region()).isEqualTo(MailgunRegion.EU);
    }

    @Test
    void toBuilderKeepsTheSharedRateLimiter() {
        AccountRateLimiter limiter = AccountRateLimiter.create(5, 5);
        MailgunClientOptions options =
                MailgunClientOptions.builder().apiKey("k").rateLimiter(limiter).build();

        assertThat(options.toBuilder().subaccountId("s").build().rateLimiter()).isSameAs(limiter);
    }

    @Test
    void invalidSettingsAreRefused() {
        MailgunClientOptions.Builder valid = MailgunClientOptions.builder().apiKey("k");

        assertThatThrownBy(() -> MailgunClientOptions.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> copy(valid).baseUrl("ftp://x").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).maxRetries(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).readTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid)
                        .retryBaseDelay(Duration.ofSeconds(2))
                        .retryMaxDelay(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).subaccountId(" ").build()).isInstanceOf(IllegalArgumentException.class);
    }

    private static MailgunClientOptions.Builder copy(MailgunClientOptions.Builder builder) {
        return builder.build().toBuilder();
    }
}
