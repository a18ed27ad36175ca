package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.EmulatorSnapshot.PoolView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples from {@code config/samples/}, applied with kubectl (server-side apply) to a real API
 * server, reconciled by the operator (server-side apply for status) against the emulator: they
 * become Ready, follow an edit, and leave Mailgun tidy when deleted.
 */
@WithApiServer
class SamplesE2E {

    static final String TIMEOUT = "--timeout=60s";

    static ApiServer api;

    @RegisterExtension
    final EmulatedOperator setup = EmulatedOperator.started("samples");

    String ns;
    EmulatedAccount mailgun;

    @BeforeEach
    void names() {
        ns = setup.ns();
        mailgun = setup.mailgun();
    }

    private static List<Path> sampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("config/samples"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("mailgun.ippools.dev_"))
                    .sorted()
                    .toList();
        }
    }

    private ApiServer.Result kubectl(String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("-n", ns)).toArray(String[]::new);
        return api.kubectl(all).assertSuccess();
    }

    private PoolView mailgunPool(String name) {
        return mailgun.emulator
                .state()
                .poolNamed(name)
                .orElseThrow(() -> new AssertionError("no pool " + name + " in Mailgun"));
    }

    @Test
    void samplesAppliedWithKubectlBecomeReadyFollowAnEditAndCleanUpOnDelete(@TempDir Path tmp) throws IOException {
        List<Path> samples = sampleFiles();
        assertThat(samples).hasSize(2);
        for (Path sample : samples) {
            assertThat(kubectl("apply", "--server-side", "-f", sample.toString())
                            .output())
                    .contains("serverside-applied");
        }

        kubectl("wait", "--for=condition=Ready", "ippools,domainpoolbindings", "--all", TIMEOUT);
        IpPool pool = mailgun.awaitReady(api.admin, IpPool.class, ns, "transactional");
        mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, "mail-example-com");
        mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, "news-example-com");
        assertThat(kubectl("get", "ippools").output())
                .contains("transactional")
                .contains(pool.getStatus().poolId());
        // what Flux's wait: true sees (cli-utils' kstatus): every sample Current once Ready
        for (String kind : List.of("IpPool", "DomainPoolBinding")) {
            assertThat(api.admin
                            .genericKubernetesResources(ApiConstants.API_VERSION, kind)
                            .inNamespace(ns)
                            .list()
                            .getItems())
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(KstatusTool.compute(r).status()).isEqualTo("Current"));
        }

        String poolId = pool.getStatus().poolId();
        assertThat(mailgunPool("transactional").id()).isEqualTo(poolId);
        assertThat(mailgunPool("transactional").ips()).containsExactlyInAnyOrder("198.51.100.10", "198.51.100.11");
        assertThat(mailgun.emulator.state().linkedPool("mail.example.com")).contains(poolId);
        assertThat(mailgun.emulator.state().domainIps("news.example.com"))
                .containsExactlyInAnyOrder("198.51.100.12", "198.51.100.13");
        // kubectl owns the spec, the operator writes status with server-side apply of its own.
        assertThat(pool.getMetadata().getManagedFields())
                .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("kubectl"))
                .anySatisfy(f -> {
                    assertThat(f.getOperation()).isEqualTo("Apply");
                    assertThat(f.getSubresource()).isEqualTo("status");
                    assertThat(f.getManager()).isNotEqualTo("kubectl");
                });

        // An edit: the pool gives up one IP; re-applied with kubectl, as a GitOps tool would.
        Path edited = tmp.resolve("ippool.yaml");
        Files.writeString(
                edited,
                Files.readString(Path.of("config/samples/mailgun.ippools.dev_v1alpha1_ippool.yaml"))
                        .replace("    - 198.51.100.11\n", ""));
        kubectl("apply", "--server-side", "-f", edited.toString());
        await().atMost(EmulatedAccount.CONVERGE)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    IpPool now = EmulatedAccount.get(api.admin, IpPool.class, ns, "transactional");
                    assertThat(now.getStatus().observedGeneration())
                            .isEqualTo(now.getMetadata().getGeneration());
                    assertThat(EmulatedAccount.ready(now)).isEqualTo("True/Available");
                    assertThat(now.getStatus().ips()).containsExactly("198.51.100.10");
                });
        assertThat(mailgunPool("transactional").ips()).containsExactly("198.51.100.10");
        assertThat(mailgun.emulator.state().domainIps("mail.example.com")).containsExactly("198.51.100.10");

        // Deletes: the binding first (the pool is protected while it is used), then the pool.
        kubectl("delete", "domainpoolbinding", "mail-example-com", "--wait=true", TIMEOUT);
        assertThat(mailgun.emulator.state().linkedPool("mail.example.com")).isEmpty();
        assertThat(mailgun.emulator.state().domainIps("mail.example.com")).containsExactly("198.51.100.12");
        kubectl("delete", "ippool", "transactional", "--wait=true", TIMEOUT);
        assertThat(mailgun.emulator.state().pool(poolId)).isEmpty();
        kubectl("delete", "domainpoolbinding", "news-example-com", "--wait=true", TIMEOUT);

        assertThat(kubectl("get", "ippools,domainpoolbindings", "-o", "name").output())
                .isBlank();
        assertThat(api.admin.resources(IpPool.class).inNamespace(ns).list().getItems())
                .isEmpty();
        assertThat(api.admin
                        .resources(DomainPoolBinding.class)
                        .inNamespace(ns)
                        .list()
                        .getItems())
                .isEmpty();
    }
}
