package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.local.BundledManifests;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart on a real node (kubelet, containerd, runc) that {@code .ci/real-node.sh up} started,
 * with the image {@code .ci/image.sh} built imported into it: install as the README says, upgrade
 * while 500 resources converge, hand over when the leader's pod goes, uninstall. The emulator runs
 * inside the node's network namespace, so no traffic leaves the namespaces the script made; its
 * journal names each caller's IP, which tells the pods apart. The steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeE2E {

    static final Path KUBECONFIG =
            Path.of(System.getProperty("realNode.kubeconfig", "/var/lib/mgop-real-node/pki/admin.kubeconfig"));
    static final String NETNS = "/run/netns/mgop-node";
    static final String NODE_IP = "10.77.0.1";
    static final String EMULATOR = "http://" + NODE_IP + ":8025";
    static final String API_KEY = "key-real-node-0123456789";
    static final Path CHART = Path.of("helm/mailgun-ip-pool-operator");
    static final String NS = "mailgun-system";
    static final String RELEASE = "mgop";
    static final String LOAD = "load";
    static final int POOLS = 100;
    static final int BINDINGS = 400;
    static final String POD_LABEL = "app.kubernetes.io/instance";

    static KubernetesClient kube;
    static Process emulator;
    static Path work;
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startEmulatorInTheNode() throws Exception {
        assertThat(KUBECONFIG)
                .as("no node: run `bash .ci/real-node.sh up` first")
                .exists();
        kube = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(KUBECONFIG.toFile()))
                .build();
        String image = "localhost/mailgun-ip-pool-operator:" + appVersion();
        // The kubelet lists the node's images in its next status update, within about 10 s.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(kube.nodes().list().getItems())
                        .singleElement()
                        .satisfies(node -> assertThat(node.getStatus().getImages())
                                .as("%s imported (.ci/real-node.sh import target/...-image.tar)", image)
                                .anySatisfy(i -> assertThat(i.getNames()).contains(image))));

        work = Files.createTempDirectory("real-node-e2e");
        Path fixture = work.resolve("fixture.yaml");
        Files.writeString(fixture, loadFixture());
        String java = ProcessHandle.current().info().command().orElse("java");
        emulator = new ProcessBuilder(
                        "nsenter",
                        "--net=" + NETNS,
                        java,
                        "-jar",
                        "target/mailgun-ip-pool-operator.jar",
                        "emulator",
                        "--host",
                        NODE_IP,
                        "--port",
                        "8025",
                        "--fixture",
                        fixture.toString(),
                        "--api-key",
                        API_KEY)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("emulator.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> emulatorGet("/v3/ip_pools").statusCode() == 200);

        for (String ns : List.of(NS, LOAD)) {
            kube.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .serverSideApply();
        }
        kube.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("mailgun-emulator")
                        .endMetadata()
                        .withStringData(Map.of("apiKey", API_KEY, "baseUrl", EMULATOR))
                        .build())
                .serverSideApply();
    }

    @AfterAll
    static void stopEmulator() throws InterruptedException {
        if (emulator != null) {
            emulator.destroy();
            if (!emulator.waitFor(20, TimeUnit.SECONDS)) {
                emulator.destroyForcibly().waitFor();
            }
        }
        if (kube != null) {
            kube.close();
        }
    }

    /** The values file the README gives for an imported image, as written there. */
    static Path readmeValues() throws IOException {
        Matcher block = Pattern.compile("```yaml\n(# values-imported-image\\.yaml\n.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("README.md")));
        assertThat(block.find()).as("README's values-imported-image.yaml").isTrue();
        Path values = work.resolve("values-imported-image.yaml");
        Files.writeString(values, block.group(1));
        return values;
    }

    @Test
    @Order(1)
    void installsAsTheReadmeSaysAndReconcilesTheSamples() throws Exception {
        new Helm(CHART)
                .install()
                .withName(RELEASE)
                .withNamespace(NS)
                .withKubeConfig(KUBECONFIG)
                .withValuesFile(readmeValues())
                .set("defaultAccount.existingSecret", "mailgun-emulator")
                .set("defaultAccount.namespaces[0]", "*")
                .set("allowedBaseUrls[0]", EMULATOR)
                // Slow enough that the upgrade below lands while the load still converges.
                .set("rateLimit", 2)
                .waitReady()
                .withTimeout(300)
                .call();

        Pod pod = onlyPod();
        assertThat(pod.getSpec().getHostNetwork()).isTrue();
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertReadyWithoutRestarts(pod);
        // The pod's name, not the node's HOSTNAME a hostNetwork pod sees.
        await().atMost(Duration.ofSeconds(30))
                .until(RealNodeE2E::leaseHolder, pod.getMetadata().getName()::equals);
        // http.bindAddress 127.0.0.1: the probes pass on loopback and nothing answers on the node IP.
        assertThat(refused(NODE_IP, 18080)).as("/metrics on the node IP").isTrue();

        for (String file : List.of(
                "mailgun.ippools.dev_v1alpha1_ippool.yaml", "mailgun.ippools.dev_v1alpha1_domainpoolbinding.yaml")) {
            for (HasMetadata r : BundledManifests.parse(Files.readString(Path.of("config/samples", file)))) {
                kube.resource(r).inNamespace("default").create();
            }
        }
        awaitAllReady("default", Duration.ofSeconds(120));
        assertThat(errorLines(pod)).isEmpty();
    }

    @Test
    @Order(2)
    void anUpgradeWhileFiveHundredResourcesConvergeLeavesOnePoolEachAndOneWriterAtATime() throws Exception {
        String before = onlyPod().getMetadata().getName();
        createLoad();
        await().atMost(Duration.ofSeconds(30)).until(() -> journalWrites().size() >= 20);

        // Changed values: the pod network, two replicas, the default port, a higher rate.
        Helm.upgrade(CHART.toString())
                .withName(RELEASE)
                .withNamespace(NS)
                .withKubeConfig(KUBECONFIG)
                .withValuesFile(readmeValues())
                .set("defaultAccount.existingSecret", "mailgun-emulator")
                .set("defaultAccount.namespaces[0]", "*")
                .set("allowedBaseUrls[0]", EMULATOR)
                .set("hostNetwork", false)
                .set("http.port", 8080)
                .set("http.bindAddress", "")
                .set("replicas", 2)
                .set("rateLimit", 20)
                .waitReady()
                .withTimeout(300)
                .call();
        await().atMost(Duration.ofSeconds(120))
                .until(() -> kube.pods().inNamespace(NS).withName(before).get() == null);
        List<Pod> pods = pods();
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            assertThat(p.getSpec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertReadyWithoutRestarts(p);
        });

        awaitAllReady(LOAD, Duration.ofMinutes(5));
        awaitAllReady("default", Duration.ofSeconds(30));

        // Exactly one Mailgun pool per IpPool: the new leader adopted what the old one made.
        JsonNode state = emulatorJson("/_emulator/state");
        Map<String, Long> poolsByName = StreamSupport.stream(state.path("pools").spliterator(), false)
                .collect(Collectors.groupingBy(p -> p.path("name").asText(), Collectors.counting()));
        List<IpPool> ipPools =
                kube.resources(IpPool.class).inAnyNamespace().list().getItems();
        assertThat(ipPools).hasSize(POOLS + 1);
        assertThat(state.path("pools")).hasSize(ipPools.size() + 1); // + the fixture's own pool
        assertThat(poolsByName.values()).allMatch(n -> n == 1);
        assertThat(ipPools.stream().map(p -> p.getStatus().poolId()).distinct()).hasSize(ipPools.size());

        List<JsonNode> writes = journalWrites();
        assertThat(writers(writes))
                .as("writes both before and after the upgrade")
                .hasSizeGreaterThan(1);
        assertOneWriterAtATime(writes);
        for (Pod p : pods) {
            assertThat(errorLines(p)).as(p.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    @Order(3)
    void deletingTheLeadersPodHandsTheLeaseToAnotherReplica() throws Exception {
        List<Pod> pods = pods();
        String leader = leaseHolder();
        assertThat(pods).extracting(p -> p.getMetadata().getName()).contains(leader);
        Pod standby = pods.stream()
                .filter(p -> !p.getMetadata().getName().equals(leader))
                .findFirst()
                .orElseThrow();
        String leaderIp = pods.stream()
                .filter(p -> p.getMetadata().getName().equals(leader))
                .findFirst()
                .orElseThrow()
                .getStatus()
                .getPodIP();

        // Both pods' logs in the test output: when the handover is slow, they tell which side was.
        LogWatch leaderLog = kube.pods().inNamespace(NS).withName(leader).watchLog(System.out);
        LogWatch standbyLog = kube.pods()
                .inNamespace(NS)
                .withName(standby.getMetadata().getName())
                .watchLog(System.out);
        kube.pods().inNamespace(NS).withName(leader).delete();

        // The deleted leader first waits for its reconciles in flight (up to the chart's 20 s
        // shutdown timeout) and then lets the Lease go; when that release does not reach the API
        // server, the Lease expires by itself (JOSDK's 15 s lease duration after the last renewal).
        // Whoever asks first after that leads: the standby (every 2 s) or the pod the Deployment
        // starts in place of the deleted one, which asks as soon as it runs and often wins.
        await().atMost(Duration.ofSeconds(45)).until(() -> {
            String holder = leaseHolder();
            return holder != null && !holder.equals(leader);
        });
        leaderLog.close();
        standbyLog.close();
        String newLeader = leaseHolder();
        Pod leading = kube.pods().inNamespace(NS).withName(newLeader).get();
        assertThat(leading)
                .as("the new Lease holder %s is a pod of the release", newLeader)
                .isNotNull();
        assertThat(leading.getMetadata().getDeletionTimestamp()).isNull();
        String newLeaderIp = leading.getStatus().getPodIP();
        assertThat(newLeaderIp).isNotBlank().isNotEqualTo(leaderIp);

        // Created once another replica leads, so only it can have made the pool.
        Instant created = Instant.now();
        kube.resource(BundledManifests.parse("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: after-handover}
        spec: {ips: [%s]}
        """.formatted(ScaleIps.ip(2 * POOLS)))
                        .get(0))
                .inNamespace(LOAD)
                .create();
        await().atMost(Duration.ofSeconds(25))
                .until(() -> ready(kube.resources(IpPool.class)
                        .inNamespace(LOAD)
                        .withName("after-handover")
                        .get()));
        assertThat(Duration.between(created, Instant.now())).isLessThan(Duration.ofSeconds(25));

        List<JsonNode> writes = journalWrites();
        assertOneWriterAtATime(writes);
        JsonNode create = writes.stream()
                .filter(w -> w.path("endpoint").asText().equals("POST /v3/ip_pools"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(create.path("client").asText()).isEqualTo(newLeaderIp);
        assertThat(writes)
                .filteredOn(w -> w.path("seq").asLong() > create.path("seq").asLong())
                .noneMatch(w -> w.path("client").asText().equals(leaderIp));
    }

    @Test
    @Order(4)
    void uninstallLeavesCrdsResourcesAndMailgunPoolsAsTheReadmeSays() throws Exception {
        int poolsBefore = emulatorJson("/_emulator/state").path("pools").size();
        int resourcesBefore =
                kube.resources(IpPool.class).inAnyNamespace().list().getItems().size()
                        + kube.resources(DomainPoolBinding.class)
                                .inAnyNamespace()
                                .list()
                                .getItems()
                                .size();
        long writesBefore = journalWrites().size();

        Helm.uninstall(RELEASE).withNamespace(NS).withKubeConfig(KUBECONFIG).call();
        await().atMost(Duration.ofSeconds(60)).until(() -> pods().isEmpty());

        assertThat(kube.apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .contains("ippools.mailgun.ippools.dev", "domainpoolbindings.mailgun.ippools.dev");
        assertThat(kube.resources(IpPool.class)
                                .inAnyNamespace()
                                .list()
                                .getItems()
                                .size()
                        + kube.resources(DomainPoolBinding.class)
                                .inAnyNamespace()
                                .list()
                                .getItems()
                                .size())
                .isEqualTo(resourcesBefore);
        assertThat(emulatorJson("/_emulator/state").path("pools")).hasSize(poolsBefore);
        assertThat(journalWrites()).hasSize((int) writesBefore);
    }

    // --- the load ---------------------------------------------------------------------------------

    /** The sample account plus an IP pair per load pool and a domain per load binding. */
    static String loadFixture() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode fixture = (ObjectNode)
                yaml.readTree(Path.of("config/samples/emulator-fixture.yaml").toFile());
        ArrayNode ips = (ArrayNode) fixture.path("ips");
        for (int i = 0; i <= 2 * POOLS; i++) {
            ips.addObject().put("ip", ScaleIps.ip(i));
        }
        ArrayNode domains = (ArrayNode) fixture.path("domains");
        for (int d = 0; d < BINDINGS; d++) {
            domains.addObject().put("name", "d" + d + ".load.example.com");
        }
        return yaml.writeValueAsString(fixture);
    }

    static void createLoad() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < POOLS; i++) {
            all.append("""
          ---
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: IpPool
          metadata: {name: load-%d}
          spec: {ips: [%s, %s]}
          """.formatted(i, ScaleIps.ip(2 * i), ScaleIps.ip(2 * i + 1)));
        }
        for (int d = 0; d < BINDINGS; d++) {
            all.append("""
          ---
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: DomainPoolBinding
          metadata: {name: d%d}
          spec: {domain: d%d.load.example.com, poolRef: {name: load-%d}}
          """.formatted(d, d, d % POOLS));
        }
        for (HasMetadata r : BundledManifests.parse(all.toString())) {
            kube.resource(r).inNamespace(LOAD).create();
        }
    }

    /** The load's addresses: data in the emulator, never dialled. */
    static final class ScaleIps {
        static String ip(int i) {
            return "10.1." + (i / 250) + "." + (i % 250 + 1);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    static String appVersion() throws IOException {
        return new YAMLMapper()
                .readTree(CHART.resolve("Chart.yaml").toFile())
                .path("appVersion")
                .asText();
    }

    static List<Pod> pods() {
        return kube.pods().inNamespace(NS).withLabel(POD_LABEL, RELEASE).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    static Pod onlyPod() {
        List<Pod> pods = pods();
        assertThat(pods).hasSize(1);
        return pods.get(0);
    }

    static void assertReadyWithoutRestarts(Pod pod) {
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(pod.getStatus().getContainerStatuses())
                .extracting(ContainerStatus::getRestartCount)
                .containsOnly(0);
    }

    static String leaseHolder() {
        Lease lease = kube.resources(Lease.class)
                .inNamespace(NS)
                .withName("mailgun-ip-pool-operator")
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    static List<String> errorLines(Pod pod) {
        String log = kube.pods()
                .inNamespace(NS)
                .withName(pod.getMetadata().getName())
                .getLog();
        return log.lines()
                .filter(l -> l.contains(" ERROR ") || l.contains("Exception"))
                .toList();
    }

    static boolean ready(HasMetadata resource) {
        if (resource == null) {
            return false;
        }
        var conditions = resource instanceof IpPool p && p.getStatus() != null
                ? p.getStatus().conditions()
                : resource instanceof DomainPoolBinding b && b.getStatus() != null
                        ? b.getStatus().conditions()
                        : null;
        return conditions != null
                && Conditions.find(conditions, "Ready")
                        .filter(c -> "True".equals(c.getStatus()))
                        .isPresent();
    }

    static void awaitAllReady(String namespace, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofSeconds(2)).until(() -> {
            List<HasMetadata> all = new ArrayList<>();
            all.addAll(
                    kube.resources(IpPool.class).inNamespace(namespace).list().getItems());
            all.addAll(kube.resources(DomainPoolBinding.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems());
            return !all.isEmpty() && all.stream().allMatch(RealNodeE2E::ready);
        });
    }

    static boolean refused(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 2000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static HttpResponse<String> emulatorGet(String path) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(URI.create(EMULATOR + path))
                        .header("Authorization", "Basic " + auth)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode emulatorJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = emulatorGet(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Every call that changed Mailgun, in the order the emulator answered them. */
    static List<JsonNode> journalWrites() throws IOException, InterruptedException {
        List<JsonNode> writes = new ArrayList<>();
        for (JsonNode entry : emulatorJson("/_emulator/journal")) {
            if (!"GET".equals(entry.path("method").asText())) {
                writes.add(entry);
            }
        }
        return writes;
    }

    static List<String> writers(List<JsonNode> writes) {
        return writes.stream().map(w -> w.path("client").asText()).distinct().toList();
    }

    /**
     * Writers take turns and never come back: A A B B, never A B A. Two pods writing at once would
     * interleave.
     */
    static void assertOneWriterAtATime(List<JsonNode> writes) {
        Map<String, Long> lastTurn = new LinkedHashMap<>();
        String current = null;
        long turn = 0;
        for (JsonNode w : writes) {
            String client = w.path("client").asText();
            if (!client.equals(current)) {
                turn++;
                current = client;
                assertThat(lastTurn.put(client, turn))
                        .as("%s wrote again after another pod, at %s", client, w)
                        .isNull();
            }
        }
    }
}
