package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A whole operator process, without leader election, against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessTest {

    KubernetesMockServer server;
    KubernetesClient client;
    TestCluster cluster;
    OperatorProcess process;
    final List<Integer> exits = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new TestCluster(client);
        process = OperatorProcess.start(client, cluster.settings(null), exits::add);
    }

    @AfterEach
    void stop() {
        process.close();
        cluster.close();
    }

    private String metrics() {
        HttpResponse<String> response = cluster.get(process.httpPort(), "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double value(String scrape, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void probesAreHealthyOnceStarted() {
        HttpResponse<String> ready = cluster.get(process.httpPort(), "/readyz");
        HttpResponse<String> live = cluster.get(process.httpPort(), "/healthz");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok\n");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(process.isLeader()).isTrue();
    }

    @Test
    void metricsShowTheMailgunCallsAndResourcesOfAReconciledPool() {
        cluster.createPool("transactional", "198.51.100.10", "198.51.100.11");
        cluster.awaitReady("transactional");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metrics())
                        .contains("mailgun_resources{kind=\"IpPool\",ready=\"True\",reason=\"Available\"} 1"));
        String scrape = metrics();

        assertThat(value(scrape, "mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"POST\",status=\"200\"}"))
                .isEqualTo(1);
        assertThat(value(scrape, "mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"GET\",status=\"200\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "mailgun_api_call_duration_seconds_count{endpoint=\"/v3/ip_pools\",method=\"POST\"}"))
                .isEqualTo(1);
        assertThat(scrape)
                .contains("# TYPE mailgun_rate_limit_wait_seconds summary")
                .contains("mailgun_operator_leader 1")
                // JOSDK's reconcile metrics and the JVM's come along.
                .containsPattern("operator_sdk_reconciliations_success_total\\{[^}]*\\} [1-9]")
                .contains("jvm_memory_used_bytes");
        assertThat(scrape).doesNotContain(TestCluster.API_KEY);
    }

    @Test
    void closeStopsReconcilingAndTheProbeServer() {
        int port = process.httpPort();

        process.close();
        process.close();

        cluster.createPool("after-stop", "198.51.100.12");
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> cluster.ready("after-stop"), "none"::equals);
        assertThat(cluster.emulator.journal().entries("POST /v3/ip_pools")).isEmpty();
        assertThat(exits).isEmpty();
        assertThatThrownBy(() -> cluster.get(port, "/healthz"))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);
    }
}
