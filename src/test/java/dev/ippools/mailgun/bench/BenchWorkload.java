package dev.ippools.mailgun.bench;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.PoolReference;
import dev.ippools.mailgun.api.v1alpha1.PoolReplacement;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.AccountFixture.DomainFixture;
import dev.ippools.mailgun.emulator.AccountFixture.IpFixture;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the benchmarks apply and count, shared by the in-process and the deployed one: N pools with
 * two IPs each, M bindings spread over them, the emulator's account holding those IPs and domains,
 * and the Mailgun calls grouped as the reports print them.
 */
final class BenchWorkload {

    static final String NS = "bench";
    private static final int CREATORS = 8;

    private BenchWorkload() {}

    /** The batched floor: one create per pool and one link PATCH per pool with bindings. */
    static long floor(int pools, int bindings) {
        return pools + Math.min(pools, bindings);
    }

    /** All at once, as a GitOps sync applies a directory: pools first, several in flight. */
    static void createAll(KubernetesClient client, int pools, int bindings) throws Exception {
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < pools; i++) {
                HasMetadata p = pool(i);
                creates.add(creators.submit(() -> client.resource(p).create()));
            }
            for (int d = 0; d < bindings; d++) {
                HasMetadata b = binding(d, pools);
                creates.add(creators.submit(() -> client.resource(b).create()));
            }
            for (Future<?> f : creates) {
                f.get();
            }
        } finally {
            creators.shutdown();
        }
    }

    static Map<String, Long> byEndpoint(List<JournalEntry> calls) {
        return new TreeMap<>(calls.stream()
                .collect(Collectors.groupingBy(
                        e -> e.endpoint() == null ? e.method() + " " + e.path() : e.endpoint(),
                        Collectors.counting())));
    }

    static long writes(List<JournalEntry> calls) {
        return calls.stream().filter(e -> !e.method().equals("GET")).count();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Calls per 30 s from the first, by kind: where the rate limit was spent, and where idle. */
    static void printTimeline(List<JournalEntry> calls) {
        if (calls.isEmpty()) {
            return;
        }
        Instant first = calls.get(0).timestamp();
        Map<Long, long[]> windows = new TreeMap<>();
        for (JournalEntry e : calls) {
            long window = Duration.between(first, e.timestamp()).toSeconds() / 30;
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

    /** Resources not Ready; a list the API server did not answer (it is busy) counts as one. */
    static long notReadyOrUnknown(KubernetesClient client) {
        try {
            long[] ready = ready(client);
            return ready[1] - ready[0] + ready[3] - ready[2];
        } catch (KubernetesClientException e) {
            System.out.println("  (listing resources failed, trying again: " + e.getMessage() + ")");
            return 1;
        }
    }

    /** Ready pools, pools, Ready bindings, bindings. */
    static long[] ready(KubernetesClient client) {
        List<IpPool> pools =
                client.resources(IpPool.class).inNamespace(NS).list().getItems();
        List<DomainPoolBinding> bindings =
                client.resources(DomainPoolBinding.class).inNamespace(NS).list().getItems();
        return new long[] {
            pools.stream().filter(BenchWorkload::ready).count(),
            pools.size(),
            bindings.stream().filter(BenchWorkload::ready).count(),
            bindings.size()
        };
    }

    private static boolean ready(HasMetadata r) {
        var conditions = r instanceof IpPool p && p.getStatus() != null
                ? p.getStatus().conditions()
                : r instanceof DomainPoolBinding b && b.getStatus() != null
                        ? b.getStatus().conditions()
                        : null;
        return conditions != null && Conditions.isTrue(conditions, "Ready");
    }

    static IpPool pool(int i) {
        IpPool p = new IpPool();
        p.setMetadata(
                new ObjectMetaBuilder().withName("pool-" + i).withNamespace(NS).build());
        p.setSpec(new IpPoolSpec(
                null, "bench pool " + i, List.of(ip(2 * i), ip(2 * i + 1)), null, null, null, null, null, null));
        return p;
    }

    static DomainPoolBinding binding(int d, int pools) {
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

    /** The account: the pools' IPs, one shared IP, and the bindings' domains. */
    static AccountFixture fixture(int pools, int bindings) {
        List<IpFixture> ipList = new ArrayList<>();
        for (int i = 0; i < pools * 2; i++) {
            ipList.add(new IpFixture(ip(i), true, true, false, null));
        }
        ipList.add(new IpFixture("10.250.0.1", false, true, false, null));
        List<DomainFixture> domainList = new ArrayList<>();
        for (int d = 0; d < bindings; d++) {
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

    static void installCrds(KubernetesClient client) throws Exception {
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
                                    TimeUnit.SECONDS);
                }
            }
        }
    }
}
