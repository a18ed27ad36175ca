package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Parses {@code run}'s options in-process; nothing is started. */
class RunCommandOptionsTest {

    private static RunCommand parse(String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    // Without interpolation, defaultValue() is the annotation's text: the ${env:...} lookup itself.
    private static CommandLine uninterpolated() {
        return new CommandLine(new RunCommand()).setInterpolateVariables(false);
    }

    private static OptionSpec option(String name) {
        return uninterpolated().getCommandSpec().findOption(name);
    }

    // The Helm chart and the kustomize manifests set these variables: the names are an interface.
    @ParameterizedTest(name = "{0} from ${1}, else {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "<none>",
            value = {
                "--kubeconfig             | KUBECONFIG             | <none>",
                "--namespaces             | WATCH_NAMESPACES       | ''",
                "--default-account-secret | DEFAULT_ACCOUNT_SECRET | ''",
                "--operator-namespace     | POD_NAMESPACE          | ''",
                "--poll-interval          | POLL_INTERVAL          | 60s",
                "--relink-poll-interval   | RELINK_POLL_INTERVAL   | 5s",
                "--rate-limit             | MAILGUN_RATE_LIMIT     | 10",
                "--rate-burst             | MAILGUN_RATE_BURST     | 20",
                "--http-port              | HTTP_PORT              | 8080",
                "--http-bind-address      | HTTP_BIND_ADDRESS      | ''",
                "--log-format             | LOG_FORMAT             | text",
                "--log-level              | LOG_LEVEL              | info",
                "--leader-election        | LEADER_ELECTION        | true",
                "--lease-namespace        | LEASE_NAMESPACE        | ''",
                "--lease-name             | LEASE_NAME             | mailgun-ip-pool-operator",
                "--lease-identity         | POD_NAME               | ''",
                "--shutdown-timeout       | SHUTDOWN_TIMEOUT       | 20s",
                "--server-side-apply      | SERVER_SIDE_APPLY      | true",
                "--default-account-namespaces | DEFAULT_ACCOUNT_NAMESPACES | ''",
                "--allowed-base-urls      | MAILGUN_ALLOWED_BASE_URLS | "
                        + "https://api.mailgun.net,https://api.eu.mailgun.net",
                "--create-outcome-wait    | CREATE_OUTCOME_WAIT    | 2m",
                "--delete-orphaned-pools  | DELETE_ORPHANED_POOLS  | false",
                "--owner-id               | OWNER_ID               | ''",
            })
    void everyOptionFallsBackToItsEnvironmentVariable(String name, String env, String fallback) {
        String expected = "${env:" + env + (fallback == null ? "" : ":-" + fallback) + "}";
        assertThat(option(name).defaultValue()).isEqualTo(expected);
        assertThat(option(name).description()[0]).contains("env " + env);
    }

    @Test
    void everyOptionIsDocumentedWithAnEnvironmentVariable() {
        for (OptionSpec o : uninterpolated().getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                assertThat(o.defaultValue()).as(o.longestName()).startsWith("${env:");
            }
        }
    }

    @Test
    void flagsSetEverything(@TempDir Path dir) throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\n");
        RunCommand c = parse(
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespaces",
                "mail, billing ,,",
                "--default-account-secret",
                "ops/mailgun",
                "--operator-namespace",
                "ops",
                "--poll-interval",
                "5m",
                "--relink-poll-interval",
                "500ms",
                "--rate-limit",
                "2.5",
                "--rate-burst",
                "4",
                "--http-port",
                "9090",
                "--log-format",
                "JSON",
                "--log-level",
                "debug",
                "--leader-election=false",
                "--lease-namespace",
                "leases",
                "--lease-name",
                "mg",
                "--lease-identity",
                "pod-1",
                "--shutdown-timeout",
                "1h",
                "--server-side-apply=false");

        assertThat(c.problems()).isEmpty();
        assertThat(c.kubeconfig).isEqualTo(kubeconfig.toString());
        assertThat(c.settings().namespaces()).containsExactlyInAnyOrder("mail", "billing");
        assertThat(c.settings().defaultAccount("ops")).isEqualTo(DefaultAccount.secret("ops", "mailgun"));
        assertThat(c.settings().ownNamespace("from-kubeconfig")).isEqualTo("ops");
        assertThat(c.pollInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.relinkPollInterval).isEqualTo(Duration.ofMillis(500));
        assertThat(c.rateLimit).isEqualTo(2.5);
        assertThat(c.rateBurst).isEqualTo(4);
        assertThat(c.httpPort).isEqualTo(9090);
        assertThat(c.logFormat).isEqualTo(Logging.Format.JSON);
        assertThat(c.logLevel).isEqualTo("debug");
        assertThat(c.leaderElection).isFalse();
        assertThat(c.leaseNamespace).isEqualTo("leases");
        assertThat(c.leaseName).isEqualTo("mg");
        assertThat(c.leaseIdentity).isEqualTo("pod-1");
        assertThat(c.shutdownTimeout).isEqualTo(Duration.ofHours(1));
        assertThat(c.serverSideApply).isFalse();
    }

    @Test
    void byDefaultOnlyTheOperatorsNamespaceUsesTheDefaultAccountAndOnlyMailgunIsCalled() {
        AccountPolicy policy = parse().settings().accountPolicy("ops");
        assertThat(policy.defaultAccountNamespaces()).containsExactly("ops");
        assertThat(policy.allowedBaseUrls()).containsExactlyElementsOf(AccountPolicy.MAILGUN_BASE_URLS);
    }

    @Test
    void trustSettingsAreListsOrEveryNamespace() {
        RunCommand c =
                parse("--default-account-namespaces", "team-a, team-b", "--allowed-base-urls", "http://127.0.0.1:8025");
        assertThat(c.problems()).isEmpty();
        assertThat(c.settings().accountPolicy("ops").defaultAccountNamespaces())
                .containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(c.settings().accountPolicy("ops").allowsBaseUrl("http://127.0.0.1:8025"))
                .isTrue();
        assertThat(c.settings().accountPolicy("ops").allowsBaseUrl("https://api.mailgun.net"))
                .isFalse();
        assertThat(parse("--default-account-namespaces", "*")
                        .settings()
                        .accountPolicy("ops")
                        .mayUseDefaultAccount("anything"))
                .isTrue();
        assertThat(parse("--allowed-base-urls", "api.mailgun.net").problems())
                .anyMatch(p -> p.startsWith("--allowed-base-urls: "));
        assertThat(parse("--allowed-base-urls", " , ").problems())
                .contains("--allowed-base-urls must name at least one URL");
    }

    @Test
    void aBareSecretNameIsInTheOperatorsNamespace() {
        RunCommand c = parse("--default-account-secret", "mailgun", "--operator-namespace", "");
        assertThat(c.settings().defaultAccount("ops")).isEqualTo(DefaultAccount.secret("ops", "mailgun"));
        assertThat(parse("--default-account-secret", "").settings().defaultAccount("ops"))
                .isEqualTo(DefaultAccount.none());
    }

    @Test
    void theOperatorsNamespaceFallsBackToTheClientsThenDefault() {
        RunCommand c = parse("--operator-namespace", "");
        assertThat(c.settings().ownNamespace("from-kubeconfig")).isEqualTo("from-kubeconfig");
        assertThat(c.settings().ownNamespace(null)).isEqualTo("default");
    }

    @Test
    void emptyNamespacesMeansAll() {
        assertThat(parse("--namespaces", "").settings().namespaces()).isEqualTo(Set.of());
        assertThat(parse("--namespaces", " , ").settings().namespaces()).isEqualTo(Set.of());
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "PT2M, PT2M"})
    void durationsTakeAUnit(String text, Duration expected) {
        assertThat(parse("--poll-interval", text).pollInterval).isEqualTo(expected);
    }

    @Test
    void aBareNumberIsNotADuration() {
        assertThatThrownBy(() -> parse("--poll-interval", "60"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("needs a unit, e.g. 60s");
    }

    @Test
    void theOwnerIdIsAStampableTokenOrLeftToTheCluster() {
        assertThat(parse("--owner-id", " prod-eu ").settings().ownerId()).isEqualTo("prod-eu");
        assertThat(parse().settings().ownerId()).isEmpty();
        assertThat(parse("--owner-id", "prod eu").problems())
                .containsExactly("--owner-id must be a token without spaces or ], not 'prod eu'");
        assertThat(parse("--owner-id", "a]b").problems()).hasSize(1);
    }

    @Test
    void leaderElectionIsAFlagOrABoolean() {
        assertThat(parse("--leader-election").leaderElection).isTrue();
        assertThat(parse("--leader-election=true").leaderElection).isTrue();
        assertThat(parse("--leader-election=false").leaderElection).isFalse();
    }

    @Test
    void unknownLogFormatIsRejected() {
        assertThatThrownBy(() -> parse("--log-format", "xml"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'xml' is not a log format: use text or json");
    }

    @Test
    void valuesPicocliCannotCheckAreReportedTogether() {
        RunCommand c = parse(
                "--poll-interval", "0s",
                "--relink-poll-interval", "0ms",
                "--rate-limit", "0",
                "--rate-burst", "0",
                "--http-port", "70000",
                "--http-bind-address", "localhost",
                "--log-level", "verbose",
                "--default-account-secret", "a/b/c",
                "--kubeconfig", "/no/such/kubeconfig");

        assertThat(c.problems())
                .containsExactly(
                        "--poll-interval must be above 0, not PT0S",
                        "--relink-poll-interval must be above 0, not PT0S",
                        "--rate-limit must be above 0, not 0.0",
                        "--rate-burst must be at least 1, not 0",
                        "--http-port must be between 0 and 65535, not 70000",
                        "--http-bind-address must be an IP address, not 'localhost'",
                        "--log-level must be one of trace, debug, info, warn, error, off, not 'verbose'",
                        "--default-account-secret must be <name> or <namespace>/<name>, not 'a/b/c'",
                        "--kubeconfig: no such file: /no/such/kubeconfig");
        assertThat(parse("--default-account-secret", "ops/").problems()).hasSize(1);
        assertThat(parse("--kubeconfig", "/a" + java.io.File.pathSeparator + "/b")
                        .problems())
                .containsExactly("--kubeconfig takes one file; set KUBECONFIG for a list of files");
    }

    @Test
    void theHttpServerListensWhereTold() {
        assertThat(parse("--http-port", "9090").settings().httpAddress())
                .satisfies(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue())
                .satisfies(a -> assertThat(a.getPort()).isEqualTo(9090));
        assertThat(parse("--http-bind-address", "127.0.0.1", "--http-port", "9090")
                        .settings()
                        .httpAddress()
                        .getAddress()
                        .getHostAddress())
                .isEqualTo("127.0.0.1");
        assertThat(parse("--http-bind-address", "::1").problems()).isEmpty();
    }

    // Under hostNetwork HOSTNAME is the node's name; the chart passes the pod's name as POD_NAME.
    @Test
    void theLeaseIdentityIsThePodNameElseTheHostnameElseRandom() {
        assertThat(parse("--lease-identity", "pod-1").settings().leaseIdentity("node-a"))
                .isEqualTo("pod-1");
        assertThat(parse().settings().leaseIdentity("node-a"))
                .isEqualTo(System.getenv("POD_NAME") == null ? "node-a" : System.getenv("POD_NAME"));
        assertThat(parse("--lease-identity", " ").settings().leaseIdentity(null))
                .isNotBlank();
    }

    // fabric8 reads a kubeconfig file first and the service account only when there is none; the
    // README and --help say so. The "kubeconfig" property stands in for KUBECONFIG/~/.kube/config.
    @Test
    void withoutAFlagAKubeconfigFileWinsOverTheServiceAccount(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config"), """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://from-kubeconfig:6443"}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            users: [{name: u, user: {token: t}}]
            current-context: c
            """);
        Map<String, String> inCluster =
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

        assertThat(masterUrl(inCluster, file)).startsWith("https://from-kubeconfig:6443");
        assertThat(masterUrl(inCluster, dir.resolve("none"))).startsWith("https://10.96.0.1:443");
        assertThat(option("--kubeconfig").description()[0])
                .contains("~/.kube/config if it exists, else the in-cluster service account");
    }

    private static String masterUrl(Map<String, String> inCluster, Path kubeconfigFile) {
        Map<String, String> properties = new HashMap<>(inCluster);
        properties.put("kubeconfig", kubeconfigFile.toString());
        Map<String, String> saved = new HashMap<>();
        properties.keySet().forEach(k -> saved.put(k, System.getProperty(k)));
        RunCommand command = parse();
        command.kubeconfig = null; // as without --kubeconfig and KUBECONFIG
        try {
            properties.forEach(System::setProperty);
            try (KubernetesClient client = command.kubernetesClient()) {
                return client.getMasterUrl().toString();
            }
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void invalidOptionsExitWithUsageErrorBeforeStartingAnything() {
        CommandLine commandLine = new CommandLine(new RunCommand());
        var err = new java.io.StringWriter();
        commandLine.setErr(new java.io.PrintWriter(err, true));

        int exit = commandLine.execute("--rate-burst", "0", "--kubeconfig", "/no/such/kubeconfig");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("run: --rate-burst must be at least 1, not 0");
    }
}
