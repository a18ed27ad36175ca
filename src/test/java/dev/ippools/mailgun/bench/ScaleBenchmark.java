package dev.ippools.mailgun.bench;

import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.PoolReference;
import dev.ippools.mailgun.api.v1alpha1.PoolReplacement;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.AccountFixture.DomainFixture;
import dev.ippools.mailgun.emulator.AccountFixture.IpFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    private static final String NS = "bench";
    private static final int CREATORS = 8;

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
                .withFixture(fixture(pools * 2, bindings))
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
                // All at once, as a GitOps sync applies a directory: pools first, several in flight.
                java.util.concurrent.ExecutorService creators =
                        java.util.concurrent.Executors.newFixedThreadPool(CREATORS);
                List<java.util.concurrent.Future<?>> creates = new ArrayList<>();
                for (int i = 0; i < pools; i++) {
                    HasMetadata p = pool(i);
                    creates.add(creators.submit(() -> client.resource(p).create()));
                }
                for (int d = 0; d < bindings; d++) {
                    HasMetadata b = binding(d, pools);
                    creates.add(creators.submit(() -> client.resource(b).create()));
                }
                for (java.util.concurrent.Future<?> f : creates) {
                    f.get();
                }
                creators.shutdown();
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
                // The batched floor: one create per pool and one link PATCH per pool with bindings.
                long floor = pools + Math.min(pools, bindings);

                Thread.sleep(poll.toMillis());
                emulator.journal().clear();
                int intervals = 6;
                long steadyStart = System.nanoTime();
                Thread.sleep(poll.toMillis() * intervals);
                double steadySeconds = seconds(steadyStart);
                List<JournalEntry> calls = emulator.journal().entries();
                Map<String, Long> byEndpoint = byEndpoint(calls);
                long writes =
                        calls.stream().filter(e -> !e.method().equals("GET")).count();

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

    /** Calls per 30 s from the first, by kind: where the rate limit was spent, and where idle. */
    private static void printTimeline(List<JournalEntry> calls) {
        if (calls.isEmpty()) {
            return;
        }
        java.time.Instant first = calls.get(0).timestamp();
        Map<Long, long[]> windows = new TreeMap<>();
        for (JournalEntry e : calls) {
            long window = java.time.Duration.between(first, e.timestamp()).toSeconds() / 30;
            long[] counts = windows.computeIfAbsent(window, w -> new long[4]);
            int kind = e.status() == 429
                    ? 3
                    : e.method().equals("POST") ? 0 : e.method().equals("GET") ? 2 : 1;
            counts[kind]++;
        }
        System.out.printf("  calls per 30 s (creates / other writes / reads / 429)%n");
        windows.forEach((w, c) ->
                System.out.printf("    %4d-%4d s  %5d %5d %5d %5d%n", w * 30, w * 30 + 30, c[0], c[1], c[2], c[3]));
    }

    private static Map<String, Long> byEndpoint(List<JournalEntry> calls) {
        return new TreeMap<>(calls.stream()
                .collect(Collectors.groupingBy(
                        e -> e.endpoint() == null ? e.method() + " " + e.path() : e.endpoint(),
                        Collectors.counting())));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Resources not Ready; a list the API server did not answer (it is busy) counts as one. */
    private static long notReadyOrUnknown(KubernetesClient client) {
        try {
            return notReady(client, IpPool.class) + notReady(client, DomainPoolBinding.class);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            System.out.println("  (listing resources failed, trying again: " + e.getMessage() + ")");
            return 1;
        }
    }

    private static <T extends HasMetadata> long notReady(KubernetesClient client, Class<T> type) {
        return client.resources(type).inNamespace(NS).list().getItems().stream()
                .filter(r -> !ready(r))
                .count();
    }

    private static boolean ready(HasMetadata r) {
        var conditions = r instanceof IpPool p && p.getStatus() != null
                ? p.getStatus().conditions()
                : r instanceof DomainPoolBinding b && b.getStatus() != null
                        ? b.getStatus().conditions()
                        : null;
        return conditions != null && Conditions.isTrue(conditions, "Ready");
    }

    private static IpPool pool(int i) {
        IpPool p = new IpPool();
        p.setMetadata(
                new ObjectMetaBuilder().withName("pool-" + i).withNamespace(NS).build());
        p.setSpec(new IpPoolSpec(
                null, "bench pool " + i, List.of(ip(2 * i), ip(2 * i + 1)), null, null, null, null, null, null));
        return p;
    }

    private static DomainPoolBinding binding(int d, int pools) {
        DomainPoolBinding b = new DomainPoolBinding();
        b.setMetadata(new ObjectMetaBuilder()
                .withName("binding-" + d)
                .withNamespace(NS)
                .build());
        b.setSpec(new DomainPoolBindingSpec(
                "d" + d + ".example.com",
                new PoolReference("pool-" + (d % pools)),
                null,
                null,
                null,
                null,
                null,
                new PoolReplacement(null, null, "shared")));
        return b;
    }

    static String ip(int i) {
        return "10." + (1 + i / 62500) + "." + (i / 250 % 250) + "." + (i % 250 + 1);
    }

    private static AccountFixture fixture(int ips, int domains) {
        List<IpFixture> ipList = new ArrayList<>();
        for (int i = 0; i < ips; i++) {
            ipList.add(new IpFixture(ip(i), true, true, false, null));
        }
        ipList.add(new IpFixture("10.250.0.1", false, true, false, null));
        List<DomainFixture> domainList = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            domainList.add(new DomainFixture(null, "d" + d + ".example.com", List.of(ip(0)), null));
        }
        return new AccountFixture(
                "5f0c1a2b3c4d5e6f70819299",
                new AccountFixture.Features(true, true),
                ipList,
                domainList,
                List.of(),
                List.of());
    }

    private static void installCrds(KubernetesClient client) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .load(in)
                            .item();
                    client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .resource(crd)
                            .create();
                    client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crd.getMetadata().getName())
                            .waitUntilCondition(
                                    c -> c.getStatus() != null
                                            && c.getStatus().getConditions() != null
                                            && c.getStatus().getConditions().stream()
                                                    .anyMatch(x -> x.getType().equals("Established")
                                                            && x.getStatus().equals("True")),
                                    60,
                                    java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        }
    }
}
