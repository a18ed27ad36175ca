package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippools.mailgun.Main;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's default command in a JVM of its own, configured only through the environment, as the
 * Helm chart runs it: JSON logs, probes, metrics, the Lease, and a clean exit on SIGTERM.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RunCommandProcessTest {

    static final String LEASE = "run-command-test";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern PORT = Pattern.compile("Serving /healthz, /readyz and /metrics on port (\\d+)");

    KubernetesMockServer server;
    KubernetesClient client;
    TestCluster cluster;
    Process process;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    final List<Thread> pumps = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(client);
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewStatus()
                                .withIncomplete(false)
                                .addNewResourceRule()
                                .withApiGroups("coordination.k8s.io")
                                .withResources("leases")
                                .withVerbs("*")
                                .endResourceRule()
                                .endStatus()
                                .build())
                .always();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        cluster.close();
    }

    private Path kubeconfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: test
          user: {token: test-token}
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: elsewhere}
        current-context: mock
        """.formatted(client.getMasterUrl()));
    }

    private void start(Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
        // Nothing from the developer's or CI's environment: only what the test sets.
        builder.environment().keySet().removeIf(k -> !k.equals("PATH"));
        builder.environment().putAll(env);
        process = builder.start();
        pump(process.getInputStream(), stdout);
        pump(process.getErrorStream(), stderr);
    }

    private void pump(InputStream in, List<String> lines) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "child-output");
        t.setDaemon(true);
        t.start();
        pumps.add(t);
    }

    private static String message(String jsonLine) {
        try {
            return JSON.readTree(jsonLine).path("formattedMessage").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private Optional<Integer> port() {
        for (String line : stdout) {
            Matcher m = PORT.matcher(message(line));
            if (m.find()) {
                return Optional.of(Integer.parseInt(m.group(1)));
            }
        }
        return Optional.empty();
    }

    private Lease lease() {
        return client.resources(Lease.class)
                .inNamespace(TestCluster.NS)
                .withName(LEASE)
                .get();
    }

    @Test
    void runsFromTheEnvironmentAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        start(Map.ofEntries(
                Map.entry("KUBECONFIG", kubeconfig(dir).toString()),
                Map.entry("POD_NAMESPACE", TestCluster.NS),
                Map.entry("WATCH_NAMESPACES", TestCluster.NS),
                Map.entry("DEFAULT_ACCOUNT_SECRET", TestCluster.SECRET),
                // the emulator is allowed explicitly; by default only Mailgun's own hosts are
                Map.entry("MAILGUN_ALLOWED_BASE_URLS", cluster.emulator.url()),
                Map.entry("POLL_INTERVAL", "1s"),
                Map.entry("RELINK_POLL_INTERVAL", "500ms"),
                Map.entry("MAILGUN_RATE_LIMIT", "20"),
                Map.entry("MAILGUN_RATE_BURST", "20"),
                Map.entry("HTTP_PORT", "0"),
                Map.entry("LOG_FORMAT", "json"),
                Map.entry("LOG_LEVEL", "info"),
                Map.entry("LEADER_ELECTION", "true"),
                Map.entry("LEASE_NAME", LEASE),
                Map.entry("HOSTNAME", "operator-pod-1"),
                Map.entry("SHUTDOWN_TIMEOUT", "5s"),
                Map.entry("SERVER_SIDE_APPLY", "false")));

        await().atMost(Duration.ofSeconds(60)).until(() -> port().isPresent() || !process.isAlive());
        assertThat(process.isAlive()).as("stderr: %s", stderr).isTrue();
        int port = port().orElseThrow();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> cluster.get(port, "/readyz").statusCode() == 200);
        // POD_NAMESPACE, not the kubeconfig's namespace, places the Lease and the default Secret.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> lease() != null
                        && "operator-pod-1".equals(lease().getSpec().getHolderIdentity()));

        cluster.createPool("transactional", "198.51.100.10", "198.51.100.11");
        cluster.awaitReady("transactional");
        String metrics = cluster.get(port, "/metrics").body();
        assertThat(metrics)
                .contains("mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"POST\"," + "status=\"200\"} 1")
                .contains("mailgun_operator_leader 1");

        // SIGTERM, as the kubelet sends; Process.destroy() would also close our end of its output.
        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        for (Thread pump : pumps) {
            pump.join(10_000);
        }
        assertThat(process.exitValue()).as("stderr: %s", stderr).isZero();
        assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(1);
        List<String> messages = new ArrayList<>();
        for (String line : stdout) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            messages.add(event.path("formattedMessage").asText());
        }
        assertThat(messages)
                .containsSubsequence(
                        "SIGTERM received: shutting down",
                        "Stopping: waiting up to PT5S for reconciles in flight",
                        "Released the leader Lease default/" + LEASE,
                        "Operator stopped")
                .anyMatch(m -> m.startsWith("Operator started: namespaces [default], default account"
                        + " from Secret default/mailgun, leader election on Lease default/" + LEASE
                        + " as operator-pod-1"));
        assertThat(String.join("\n", stdout) + String.join("\n", stderr)).doesNotContain(TestCluster.API_KEY);
    }
}
