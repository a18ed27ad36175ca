package dev.ippools.mailgun.bench;

import static dev.ippools.mailgun.bench.BenchWorkload.NS;
import static dev.ippools.mailgun.bench.BenchWorkload.byEndpoint;
import static dev.ippools.mailgun.bench.BenchWorkload.createAll;
import static dev.ippools.mailgun.bench.BenchWorkload.fixture;
import static dev.ippools.mailgun.bench.BenchWorkload.floor;
import static dev.ippools.mailgun.bench.BenchWorkload.installCrds;
import static dev.ippools.mailgun.bench.BenchWorkload.notReadyOrUnknown;
import static dev.ippools.mailgun.bench.BenchWorkload.printTimeline;
import static dev.ippools.mailgun.bench.BenchWorkload.seconds;
import static dev.ippools.mailgun.bench.BenchWorkload.writes;

import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Not a test: prints how the operator scales. N pools with two IPs each and M bindings, one
 * account, against a real local API server (or the fabric8 mock with {@code --mock}) and the
 * emulator in this JVM, the emulator limiting the key to 10 calls/s as Mailgun would ({@code
 * --emulator-rate-limit=<calls/s>}, 0 for none) and the operator at its defaults (10 calls/s,
 * burst 20). Reports time to converge, Mailgun calls to converge by endpoint against the batched
 * floor, calls per poll interval once in sync, and heap.
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java@bench -Dbench.args="1000 5000"} (arguments:
 * pools, bindings, poll interval in seconds).
 */
public final class ScaleBenchmark {

    public static void main(String[] args) throws Exception {
        List<String> numbers =
                List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
        int pools = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 1000;
        int bindings = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 5000;
        Duration poll = Duration.ofSeconds(numbers.size() > 2 ? Integer.parseInt(numbers.get(2)) : 5);
        double emulatorRate = List.of(args).stream()
                .filter(a -> a.startsWith("--emulator-rate-limit="))
                .map(a -> Double.parseDouble(a.substring("--emulator-rate-limit=".length())))
                .findFirst()
                .orElse(10.0);

        // A real API server (etcd + kube-apiserver from .ci/envtest-binaries.sh) with server-side
        // apply, as in a cluster; the fabric8 mock server with --mock (it scans every object on each
        // request, so at this scale it measures itself more than the operator).
        boolean mock = List.of(args).contains("--mock");
        KubeAPIServer apiServer = null;
        KubernetesMockServer server = null;
        KubernetesClient client;
        if (mock) {
            server = new KubernetesMockServer(
                    new io.fabric8.mockwebserver.Context(),
                    new io.fabric8.mockwebserver.MockWebServer(),
                    new java.util.HashMap<>(),
                    new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
                    false);
            server.init();
            client = server.createClient();
        } else {
            apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withOfflineMode(dev.ippools.mailgun.local.LocalApiServer.binariesInstalled())
                    .withStartupTimeout(180_000)
                    .build());
            apiServer.start();
            client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml()))
                    .build();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NS)
                            .endMetadata()
                            .build())
                    .create();
        }
        try (MailgunEmulator emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withPort(0)
                .withFixture(fixture(pools, bindings))
                .withApiKey("bench-key"))) {
            emulator.setRateLimit(emulatorRate);
            installCrds(client);
            client.secrets()
                    .inNamespace(NS)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("mailgun")
                            .withNamespace(NS)
                            .endMetadata()
                            .withStringData(Map.of("apiKey", "bench-key", "baseUrl", emulator.url()))
                            .build())
                    .create();

            // As `run` sets up by default, but for the poll interval (an argument).
            OperatorConfig settings = OperatorConfig.of(
                            DefaultAccount.secret(NS, "mailgun"),
                            AccountPolicy.anyNamespace(List.of(emulator.url())),
                            MailgunClients.withDefaults())
                    .withPollInterval(poll)
                    .withServerSideApply(!mock);
            long start = System.nanoTime();
            try (OperatorRuntime runtime = OperatorRuntime.start(client, settings)) {
                createAll(client, pools, bindings);
                double created = seconds(start);
                while (notReadyOrUnknown(client) > 0) {
                    Thread.sleep(2000);
                    if (seconds(start) > 3600) {
                        throw new IllegalStateException("did not converge within an hour");
                    }
                }
                double converged = seconds(start);
                List<JournalEntry> toConverge = emulator.journal().entries();
                long callsToConverge = toConverge.size();
                Map<String, Long> convergeByEndpoint = byEndpoint(toConverge);
                long refused =
                        toConverge.stream().filter(e -> e.status() == 429).count();
                long floor = floor(pools, bindings);

                Thread.sleep(poll.toMillis());
                emulator.journal().clear();
                int intervals = 6;
                long steadyStart = System.nanoTime();
                Thread.sleep(poll.toMillis() * intervals);
                double steadySeconds = seconds(steadyStart);
                List<JournalEntry> calls = emulator.journal().entries();
                Map<String, Long> byEndpoint = byEndpoint(calls);
                long writes = writes(calls);

                System.gc();
                Thread.sleep(500);
                long heap =
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

                System.out.printf(
                        "%nScale benchmark: %d pools, %d bindings, 1 account, poll interval %ss,"
                                + " operator defaults (10 calls/s, burst 20), emulator limit %s, %s%n",
                        pools,
                        bindings,
                        poll.toSeconds(),
                        emulatorRate > 0 ? String.format("%.0f calls/s", emulatorRate) : "none",
                        mock
                                ? "fabric8 mock API server"
                                : "real kube-apiserver "
                                        + client.getKubernetesVersion().getGitVersion());
                System.out.printf("  resources created in        %8.1f s%n", created);
                System.out.printf(
                        "  all Ready after             %8.1f s (%.1f s after the last create)%n",
                        converged, converged - created);
                System.out.printf(
                        "  Mailgun calls to converge   %8d (%d of them 429), %.2fx the batched" + " floor of %d%n",
                        callsToConverge, refused, (double) callsToConverge / floor, floor);
                if (emulatorRate > 0) {
                    System.out.printf("  floor time at %.0f calls/s  %8.1f s%n", emulatorRate, floor / emulatorRate);
                }
                System.out.printf("  calls to converge by endpoint%n");
                convergeByEndpoint.forEach((k, v) -> System.out.printf("    %-40s %6d%n", k, v));
                printTimeline(toConverge);
                System.out.printf(
                        "  steady state: %d calls in %.1f s = %.2f calls per poll interval," + " %d writes%n",
                        calls.size(), steadySeconds, calls.size() / (steadySeconds / poll.toSeconds()), writes);
                System.out.printf("  steady-state calls by endpoint %s%n", byEndpoint);
                System.out.printf(
                        "  heap after GC               %8.1f MiB (operator and emulator in one JVM%s)%n",
                        heap / 1024.0 / 1024.0, mock ? ", with the mock API server" : "");
            }
        } finally {
            client.close();
            if (server != null) {
                server.destroy();
            }
            if (apiServer != null) {
                apiServer.stop();
            }
        }
    }
}
