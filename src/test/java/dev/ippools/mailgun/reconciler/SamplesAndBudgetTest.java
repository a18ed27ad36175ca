package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.AccountFixture.DomainFixture;
import dev.ippools.mailgun.emulator.AccountFixture.IpFixture;
import dev.ippools.mailgun.emulator.JournalEntry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SamplesAndBudgetTest {

    KubernetesMockServer server;
    KubernetesClient client;
    OperatorHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theSamplesConvergeAgainstTheSampleFixture() throws IOException {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture()).start();
        List<HasMetadata> applied = new ArrayList<>();
        try (var files = Files.list(Path.of("config/samples"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("mailgun.ippools.dev_"))
                    .sorted()
                    .toList()) {
                for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
                    if (doc.contains("kind: IpPool")) {
                        applied.add(h.apply(Manifests.yaml(doc, IpPool.class)));
                    } else if (doc.contains("kind: DomainPoolBinding")) {
                        applied.add(h.apply(Manifests.yaml(doc, DomainPoolBinding.class)));
                    }
                }
            }
        }
        assertThat(applied).extracting(HasMetadata::getKind).contains("IpPool", "DomainPoolBinding");
        for (HasMetadata r : applied) {
            if (r instanceof IpPool) {
                h.awaitPoolReady(r.getMetadata().getName(), "True/Available");
            } else {
                h.awaitBindingReady(r.getMetadata().getName(), "True/Available");
            }
        }
        String transactional = h.pool("transactional").getStatus().poolId();
        assertThat(h.emulator.state().linkedPool("mail.example.com")).contains(transactional);
        assertThat(h.emulator.state().linkedPool("news.example.com")).isEmpty();
        assertThat(h.emulator.state().domainIps("news.example.com"))
                .containsExactlyInAnyOrder("198.51.100.12", "198.51.100.13");
    }

    @Test
    void steadyStateCostsOnlyBulkReadsPerPollIntervalAndNoWrites() {
        int pools = 50;
        int bindings = 200;
        h = new OperatorHarness(client, bigFixture(pools * 2, bindings)).start();
        for (int i = 0; i < pools; i++) {
            h.apply(Manifests.yaml("""
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: IpPool
          metadata: {name: pool-%d}
          spec: {ips: [%s, %s]}
          """.formatted(i, ip(2 * i), ip(2 * i + 1)), IpPool.class));
        }
        for (int d = 0; d < bindings; d++) {
            h.apply(Manifests.yaml("""
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: DomainPoolBinding
          metadata: {name: binding-%d}
          spec:
            domain: d%d.example.com
            poolRef: {name: pool-%d}
            replacement: {ip: shared}
          """.formatted(d, d, d % pools), DomainPoolBinding.class));
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> allReady(IpPool.class) && allReady(DomainPoolBinding.class));

        h.emulator.journal().clear();
        long start = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        double intervals = (System.nanoTime() - start) / 1e9 / 0.5;

        List<JournalEntry> calls = h.emulator.journal().entries();
        Map<String, Long> byEndpoint =
                calls.stream().collect(Collectors.groupingBy(JournalEntry::endpoint, Collectors.counting()));
        assertThat(calls).filteredOn(e -> !e.method().equals("GET")).isEmpty();
        // One account: GET /v3/ip_pools and GET /v3/ips per poll, nothing per pool or binding.
        assertThat(byEndpoint.keySet()).containsOnly("GET /v3/ip_pools", "GET /v3/ips");
        assertThat(calls.size()).isLessThanOrEqualTo((int) Math.ceil(2 * (intervals + 1)));
    }

    private <T extends HasMetadata> boolean allReady(Class<T> type) {
        return client.resources(type).inNamespace(OperatorHarness.NS).list().getItems().stream()
                .allMatch(r -> OperatorHarness.ready(r).equals("True/Available"));
    }

    static String ip(int i) {
        return "10.1." + (i / 250) + "." + (i % 250 + 1);
    }

    static AccountFixture bigFixture(int ips, int domains) {
        List<IpFixture> ipList = new ArrayList<>();
        for (int i = 0; i < ips; i++) {
            ipList.add(new IpFixture(ip(i), true, true, false, null));
        }
        ipList.add(new IpFixture("10.9.9.9", false, true, false, null));
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
}
