package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plan --cluster} against the mock API server (CRUD mode), with resources the operator
 * reconciled against the emulator first, so the cluster holds real pool ids.
 */
@EnableKubernetesMockClient(crud = true)
class PlanClusterTest {

    KubernetesMockServer server;
    KubernetesClient client;
    TestCluster cluster;
    OperatorProcess operator;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() {
        cluster = new TestCluster(client);
        operator = OperatorProcess.start(client, cluster.settings(null), code -> {});
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        cluster.close();
    }

    /** Applies resources, waits until the operator made them Ready and stops it. */
    private void converge(String yaml, String... names) {
        for (String doc : yaml.split("(?m)^---$")) {
            HasMetadata r = Serialization.unmarshal(doc);
            r.getMetadata().setNamespace(TestCluster.NS);
            client.resource(r).create();
        }
        for (String name : names) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> ready(name), r -> r.startsWith("True/"));
        }
        operator.close();
        operator = null;
    }

    private String ready(String name) {
        HasMetadata r = client.resources(IpPool.class)
                .inNamespace(TestCluster.NS)
                .withName(name)
                .get();
        var conditions =
                r instanceof IpPool p && p.getStatus() != null ? p.getStatus().conditions() : null;
        if (r == null) {
            DomainPoolBinding b = client.resources(DomainPoolBinding.class)
                    .inNamespace(TestCluster.NS)
                    .withName(name)
                    .get();
            conditions = b != null && b.getStatus() != null ? b.getStatus().conditions() : null;
        }
        return conditions == null
                ? "none"
                : Conditions.find(conditions, ConditionTypes.READY)
                        .map(c -> c.getStatus() + "/" + c.getReason())
                        .orElse("none");
    }

    private String poolId(String name) {
        return client.resources(IpPool.class)
                .inNamespace(TestCluster.NS)
                .withName(name)
                .get()
                .getStatus()
                .poolId();
    }

    private Path kubeconfig() throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: mock, context: {cluster: mock, user: u, namespace: default}}]
        current-context: mock
        """.formatted(
                        client.getConfiguration().getMasterUrl()));
    }

    private Path manifests(String yaml) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(folder.resolve("resources.yaml"), yaml);
        return folder;
    }

    private Run plan(Path folder, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "-f",
                folder.toString(),
                "--cluster",
                "--kubeconfig",
                kubeconfig().toString(),
                "--default-account-secret",
                "default/mailgun",
                "--allowed-base-urls",
                cluster.emulator.url()));
        args.addAll(List.of(more));
        CommandLine commandLine = new CommandLine(new PlanCommand(v -> null, MailgunClients.withDefaults()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private List<JournalEntry> writes() {
        return cluster.emulator.journal().entries().stream()
                .filter(e -> !e.method().equals("GET"))
                .toList();
    }

    private static final String KEEP = """
      apiVersion: mailgun.ippools.dev/v1alpha1
      kind: IpPool
      metadata: {name: keep}
      spec: {ips: [198.51.100.10]}
      """;

    private static final String OLD = """
      apiVersion: mailgun.ippools.dev/v1alpha1
      kind: IpPool
      metadata: {name: old}
      spec: {ips: [198.51.100.12]}
      """;

    private static final String ALERTS = """
      apiVersion: mailgun.ippools.dev/v1alpha1
      kind: DomainPoolBinding
      metadata: {name: alerts}
      spec:
        domain: alerts.example.com
        poolRef: {name: old}
        replacement: {ip: shared}
      """;

    private static final String LEGACY = """
      apiVersion: mailgun.ippools.dev/v1alpha1
      kind: IpPool
      metadata: {name: legacy}
      spec:
        poolId: 64b0c0ffee00000000000001
        adoption: Overwrite
        ips: [198.51.100.16, 198.51.100.17]
        replacement: {ip: shared}
      """;

    @Test
    void showsCreationsUpdatesAndDeletionsWithTheirMailgunEffect() throws IOException {
        converge(String.join("---\n", KEEP, OLD, ALERTS, LEGACY), "keep", "old", "alerts", "legacy");
        String keepId = poolId("keep");
        String oldId = poolId("old");
        int writesBefore = writes().size();
        // the pull request: keep gets an IP, fresh is new; old, its binding and legacy are dropped
        Path folder = manifests("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: keep}
        spec: {ips: [198.51.100.10, 198.51.100.11]}
        ---
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: fresh}
        spec: {ips: [198.51.100.13]}
        """);

        Run run = plan(folder);

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).isEmpty();
        String account = cluster.emulator.url() + " (default account: Secret default/mailgun)";
        assertThat(run.out().lines().toList())
                .containsExactly(
                        "Mailgun account " + account + ":",
                        "",
                        "IpPool default/keep (update, Updating, pool " + keepId + ")",
                        "  PUT /v3/ip_pools/" + keepId + "/ips/198.51.100.11",
                        "",
                        "IpPool default/fresh (create, Creating)",
                        "  POST /v3/ip_pools name=fresh ips=[198.51.100.13]",
                        "",
                        "IpPool default/legacy (delete, Deleting, pool 64b0c0ffee00000000000001, cluster)",
                        "  effect: pool 64b0c0ffee00000000000001 deleted; domains news.example.com relinked to"
                                + " shared IPs",
                        "  DELETE /v3/ip_pools/64b0c0ffee00000000000001?ip=shared",
                        "",
                        "IpPool default/old (delete, Deleting, pool " + oldId + ", cluster)",
                        "  effect: pool " + oldId + " deleted",
                        "  DELETE /v3/ip_pools/" + oldId + "/ips/198.51.100.12",
                        "  DELETE /v3/ip_pools/" + oldId,
                        "",
                        "DomainPoolBinding default/alerts (delete, Deleting, pool " + oldId + ", cluster)",
                        "  effect: domain alerts.example.com unlinked from pool " + oldId + "; it uses shared IPs",
                        "  DELETE /v3/domains/alerts.example.com/ips/ip_pool?ip=shared",
                        "",
                        "Resources: 1 to create, 1 to update, 3 to delete.",
                        "Plan: 6 Mailgun calls, 0 waits, 0 conflicts, 0 problems.");
        // read-only: neither Mailgun nor the cluster changed
        assertThat(writes()).hasSize(writesBefore);
        assertThat(client.resources(IpPool.class)
                        .inNamespace(TestCluster.NS)
                        .list()
                        .getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("keep", "old", "legacy");

        Run markdown = plan(folder, "--output", "markdown");

        assertThat(markdown.exit()).isEqualTo(2);
        assertThat(markdown.out())
                .contains(
                        "**1 to create, 1 to update, 3 to delete** · 6 Mailgun calls · 0 problems · changes"
                                + " planned",
                        "#### Account " + account,
                        "| Resource | Action | Mailgun calls | Result |",
                        "| IpPool `default/keep` | update | `PUT /v3/ip_pools/" + keepId
                                + "/ips/198.51.100.11` | Updating |",
                        "| IpPool `default/fresh` | create | `POST /v3/ip_pools name=fresh ips=[198.51.100.13]` |"
                                + " Creating |",
                        "| IpPool `default/old` | delete | `DELETE /v3/ip_pools/" + oldId
                                + "/ips/198.51.100.12`<br>`DELETE /v3/ip_pools/" + oldId + "` | pool " + oldId
                                + " deleted |",
                        "#### Problems a merge would hit\n\nNone.");

        // a hook Job fails on any non-zero exit: changes may pass, problems may not
        assertThat(plan(folder, "--allow-changes").exit()).isZero();

        Run json = plan(folder, "--output", "json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.at("/resources/3/name").asText()).isEqualTo("old");
        assertThat(doc.at("/resources/3/action").asText()).isEqualTo("delete");
        assertThat(doc.at("/resources/3/account").asText()).isEqualTo(account);
        assertThat(doc.at("/resources/3/effect").asText()).isEqualTo("pool " + oldId + " deleted");
        assertThat(doc.at("/summary/deleted").asInt()).isEqualTo(3);
    }

    @Test
    void aDeletionThatWouldStayBlockedAndEveryAccountAreShown() throws IOException {
        converge(String.join("---\n", KEEP, OLD, ALERTS, """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: kept-in-mailgun}
        spec:
          ips: [198.51.100.13]
          deletionPolicy: Orphan
        """), "keep", "old", "alerts", "kept-in-mailgun");
        String oldId = poolId("old");
        String orphanId = poolId("kept-in-mailgun");
        client.secrets()
                .inNamespace(TestCluster.NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("storefront")
                        .endMetadata()
                        .addToStringData("apiKey", TestCluster.API_KEY)
                        .addToStringData("baseUrl", cluster.emulator.url())
                        .addToStringData("subaccountId", "6a1b2c3d4e5f60718293a4b5")
                        .build())
                .create();
        // old is dropped but alerts still uses it; a storefront pool and a broken Secret are new
        Path folder = manifests(String.join("---\n", KEEP, ALERTS, """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: shop}
        spec:
          accountRef: {secretName: storefront}
        ---
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: nowhere}
        spec:
          ips: [198.51.100.11]
          accountRef: {secretName: no-such-secret}
        """));

        Run run = plan(folder, "--output", "markdown");

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        String main = cluster.emulator.url() + " (default account: Secret default/mailgun)";
        assertThat(run.out())
                .contains(
                        "#### Account " + main,
                        "#### Account " + cluster.emulator.url()
                                + " on behalf of 6a1b2c3d4e5f60718293a4b5 (Secret default/storefront)",
                        "#### Account Secret default/no-such-secret",
                        "| IpPool `default/keep` | no-op | — | Available |",
                        "| IpPool `default/old` | delete | — | blocked: still used by DomainPoolBinding"
                                + " default/alerts; delete it or point it at another pool first |",
                        "| IpPool `default/kept-in-mailgun` | delete | `PATCH /v3/ip_pools/" + orphanId
                                + " description=Managed by Kubernetes IpPool default/kept-in-mailgun` | orphaned:"
                                + " ownership marker removed; deletionPolicy Orphan: pool " + orphanId
                                + " stays in Mailgun |",
                        "| IpPool `default/shop` | create | `POST /v3/ip_pools name=shop ips=[]` | Creating |",
                        "| IpPool `default/old` | DeletionBlocked | still used by DomainPoolBinding"
                                + " default/alerts; delete it or point it at another pool first |",
                        "| IpPool `default/nowhere` | Invalid | spec.accountRef: Secret default/no-such-secret"
                                + " (spec.accountRef) not found (or not readable by the operator); create it with"
                                + " the key apiKey |",
                        "the operator would not converge: see the problems below");
        assertThat(run.out()).doesNotContain(TestCluster.API_KEY).doesNotContain(oldId + " deleted");
        assertThat(plan(folder, "--allow-changes").exit()).isEqualTo(1);
    }

    @Test
    void aDroppedBindingWithAReplacementPoolIsLinkedThereWhichMovesItsDomain() throws IOException {
        converge(String.join("---\n", KEEP, OLD, """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: mail}
        spec:
          domain: mail.example.com
          poolRef: {name: old}
          replacement: {poolRef: {name: keep}}
        """), "keep", "old", "mail");
        String keepId = poolId("keep");
        String oldId = poolId("old");

        Run run = plan(manifests(String.join("---\n", KEEP, OLD)));

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out().lines().toList())
                .containsSubsequence(
                        "DomainPoolBinding default/mail (delete, Deleting, pool " + oldId + ", cluster)",
                        "  effect: domain mail.example.com moved from pool " + oldId + " to pool " + keepId,
                        "  PATCH /v3/ip_pools/" + keepId + " link_domain=mail.example.com",
                        "Resources: 0 to create, 0 to update, 1 to delete.");
    }

    @Test
    void nothingToDoWhenTheClusterAndMailgunMatchTheManifests() throws IOException {
        converge(KEEP, "keep");

        Run run = plan(manifests(KEEP));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .endsWith("Resources: 0 to create, 0 to update, 0 to delete.\n"
                        + "Plan: 0 Mailgun calls, 0 waits, 0 conflicts, 0 problems.\n"
                        + "No changes. The cluster and Mailgun already match these manifests.\n");
    }

    @Test
    void clusterOptionsNeedCluster() {
        CommandLine commandLine = new CommandLine(new PlanCommand(v -> null, MailgunClients.withDefaults()));
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));

        int exit = commandLine.execute("-f", dir.toString(), "--default-account-secret", "a/b");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("--default-account-secret and --kubeconfig need --cluster");
    }
}
