package dev.ippools.mailgun.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.Credentials;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class AccountMetricsTest {

    private static final String KEY = "key-0123456789abcdef0123456789abcdef";

    @Test
    void accountsAreLabelledWithoutKeyMaterialAndUseTheDocumentedNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AccountMetrics metrics = new AccountMetrics(registry);
        String account = new Credentials(KEY, Credentials.EU, "6a1b2c3d4e5f60718293a4b5")
                .key()
                .label();

        metrics.pollFailed(account, "AccountUnreachable");
        metrics.pollFailed(account, "AccountUnreachable");
        metrics.strayPools(account, 1, 3);
        metrics.strayPools(account, 0, 2);

        assertThat(account)
                .startsWith("api.eu.mailgun.net/6a1b2c3d4e5f60718293a4b5@")
                .doesNotContain(KEY)
                .doesNotContain(KEY.substring(4, 12));
        String text = registry.scrape();
        String label = "account=\"" + account + "\"";
        assertThat(text)
                .contains("mailgun_account_poll_failures_total{" + label + ",reason=\"AccountUnreachable\"} 2.0")
                .contains("mailgun_pools_duplicate{" + label + "} 0.0")
                .contains("mailgun_pools_orphaned{" + label + "} 2.0")
                .doesNotContain(KEY);
    }

    @Test
    void correctedDriftIsCountedByKind() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AccountMetrics metrics = new AccountMetrics(registry);

        metrics.driftCorrected("IpPool");
        metrics.driftCorrected("IpPool");
        metrics.driftCorrected("DomainPoolBinding");

        assertThat(registry.scrape())
                .contains("mailgun_drift_corrected_total{kind=\"IpPool\"} 2.0")
                .contains("mailgun_drift_corrected_total{kind=\"DomainPoolBinding\"} 1.0");
    }
}
