package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The image {@code .ci/image.sh} builds, loaded into podman and run the way the chart runs the pod
 * (read-only root, uid 65532, no capabilities, no new privileges, a tmpfs /tmp for the chart's
 * emptyDir): {@code emulator}, {@code plan} and the operator, which makes the samples Ready on a
 * real API server. CI builds the archive before {@code mvn verify}; elsewhere the test is skipped
 * until {@code bash .ci/image.sh} has run.
 */
class ContainerImageE2E {

    static final Path ARCHIVE = Path.of("target/mailgun-ip-pool-operator-image.tar");
    static final String API_KEY = "key-image-0123456789abcdef";
    static final Pattern EMULATOR_URL = Pattern.compile("listening on (http://\\S+)");
    static final Pattern HTTP_PORT = Pattern.compile("Serving /healthz, /readyz and /metrics on port (\\d+)");
    static final ObjectMapper JSON = new ObjectMapper();

    static Podman podman;
    static String image;
    static ApiServer api;
    static String emulatorUrl;

    @BeforeAll
    static void loadImageAndStartEmulator() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            // .ci/run builds the image first: in CI a missing archive is a failure, not a skip.
            assertThat(ARCHIVE)
                    .as("run by .ci/run before mvn verify: bash .ci/image.sh")
                    .exists();
            assertThat(Podman.installed())
                    .as("podman (.ci/image.sh installs it)")
                    .isTrue();
        } else {
            assumeTrue(Files.exists(ARCHIVE), "no " + ARCHIVE + ": build it with bash .ci/image.sh");
            assumeTrue(Podman.installed(), "no podman: bash .ci/image.sh installs it");
        }
        podman = Podman.start();
        String loaded = podman.run("load", "--input", ARCHIVE.toAbsolutePath().toString())
                .assertSuccess()
                .output();
        Matcher name = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)").matcher(loaded);
        assertThat(name.find()).as(loaded).isTrue();
        image = name.group(1);

        podman.run(containerArgs(
                        "run",
                        "--detach",
                        "--name",
                        "emulator",
                        image,
                        "emulator",
                        "--port",
                        "0",
                        "--api-key",
                        API_KEY))
                .assertSuccess();
        emulatorUrl = awaitLog("emulator", EMULATOR_URL);

        api = ApiServer.start();
        api.installCrds();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (podman != null) {
            podman.close();
        }
    }

    static String[] containerArgs(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(Podman.AS_THE_CHART_RUNS_IT);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** The first group of {@code pattern} in a container's log, once it appears. */
    static String awaitLog(String container, Pattern pattern) {
        String[] found = new String[1];
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        Podman.Result logs = podman.run("logs", container);
                        Matcher m = pattern.matcher(logs.output());
                        if (m.find()) {
                            found[0] = m.group(1);
                            return true;
                        }
                        String state = podman.run("inspect", "--format", "{{.State.Status}}", container)
                                .stdout();
                        if (!state.strip().equals("running")) {
                            throw new AssertionError(container + " is " + state.strip() + ": " + logs.output());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no " + pattern + " in the log of " + container + ":\n"
                            + podman.run("logs", container).output(),
                    e);
        }
        return found[0];
    }

    static String projectVersion() throws Exception {
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile())
                .getDocumentElement();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("no <version> in pom.xml");
    }

    @Test
    void theImageIsTaggedLabelledAndRunsTheJarAsNonRootWithoutAShell() throws Exception {
        String version = projectVersion();
        assertThat(image).isEqualTo("localhost/mailgun-ip-pool-operator:" + version);
        JsonNode config = JSON.readTree(
                        podman.run("image", "inspect", image).assertSuccess().stdout())
                .get(0)
                .path("Config");
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        assertThat(JSON.convertValue(config.path("Entrypoint"), List.class))
                .containsExactly("java", "-jar", "/app/mailgun-ip-pool-operator.jar");
        assertThat(JSON.convertValue(config.path("Cmd"), List.class)).containsExactly("run");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        JsonNode labels = config.path("Labels");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(version);
        assertThat(labels.path("org.opencontainers.image.source").asText())
                .startsWith("https://github.com/")
                .endsWith("/mailgun-ip-pool-operator");
        assertThat(labels.path("org.opencontainers.image.licenses").asText()).isNotBlank();

        Podman.Result shell = podman.run(containerArgs("run", "--rm", "--entrypoint", "/bin/sh", image, "-c", "true"));
        assertThat(shell.exitCode()).as(shell.output()).isNotZero();
        assertThat(shell.output()).contains("/bin/sh");
    }

    @Test
    void planRunsFromTheImageOnMountedManifests() {
        Path samples = Path.of("config/samples").toAbsolutePath();
        Podman.Result plan = podman.run(containerArgs(
                "run",
                "--rm",
                "--volume",
                samples + ":/manifests:ro",
                image,
                "plan",
                "-f",
                "/manifests",
                "--emulator-url",
                emulatorUrl,
                "--api-key",
                API_KEY));

        // 2: changes to make (the emulator starts without the samples' pool).
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.stdout())
                .contains("IpPool default/transactional (Creating)")
                .contains("POST /v3/ip_pools name=transactional")
                .contains("Plan: 4 Mailgun calls");
    }

    @Test
    void theOperatorFromTheImageMakesTheSamplesReady() throws Exception {
        String ns = api.newNamespace("image");
        api.admin
                .secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("mailgun")
                        .withNamespace(ns)
                        .endMetadata()
                        .withStringData(Map.of("apiKey", API_KEY, "baseUrl", emulatorUrl))
                        .build())
                .create();
        Path kubeconfig = podman.selfContainedKubeconfig(api.kubeconfig, "kubeconfig");

        // The chart's environment (templates/deployment.yaml), no command: the image's default `run`.
        podman.run(containerArgs(
                        "run",
                        "--detach",
                        "--name",
                        "operator",
                        "--volume",
                        kubeconfig + ":/etc/mailgun/kubeconfig:ro",
                        "--env",
                        "KUBECONFIG=/etc/mailgun/kubeconfig",
                        "--env",
                        "WATCH_NAMESPACES=" + ns,
                        "--env",
                        "DEFAULT_ACCOUNT_SECRET=mailgun",
                        "--env",
                        "MAILGUN_ALLOWED_BASE_URLS=" + emulatorUrl,
                        "--env",
                        "POD_NAMESPACE=" + ns,
                        "--env",
                        "POLL_INTERVAL=2s",
                        "--env",
                        "RELINK_POLL_INTERVAL=500ms",
                        "--env",
                        "HTTP_PORT=0",
                        "--env",
                        "LOG_FORMAT=text",
                        "--env",
                        "LEADER_ELECTION=true",
                        "--env",
                        "LEASE_NAMESPACE=" + ns,
                        "--env",
                        "LEASE_NAME=mailgun-ip-pool-operator",
                        image))
                .assertSuccess();
        int port = Integer.parseInt(awaitLog("operator", HTTP_PORT));

        for (String sample : List.of(
                "mailgun.ippools.dev_v1alpha1_ippool.yaml", "mailgun.ippools.dev_v1alpha1_domainpoolbinding.yaml")) {
            api.kubectl("apply", "--server-side", "-n", ns, "-f", "config/samples/" + sample)
                    .assertSuccess();
        }
        ApiServer.Result ready = api.kubectl(
                "wait", "--for=condition=Ready", "ippools,domainpoolbindings", "--all", "-n", ns, "--timeout=90s");
        assertThat(ready.exitCode())
                .as(
                        "%s\noperator log:\n%s",
                        ready.output(), podman.run("logs", "operator").output())
                .isZero();

        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, port, "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(http, port, "/metrics").body())
                .contains("mailgun_resources{kind=\"IpPool\",ready=\"True\",reason=\"Available\"} 1.0");

        // SIGTERM, as the kubelet stops a pod: the operator stops cleanly.
        podman.run("stop", "--time", "30", "operator").assertSuccess();
        assertThat(podman.run("inspect", "--format", "{{.State.ExitCode}}", "operator")
                        .stdout())
                .isEqualToIgnoringWhitespace("0");
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
