package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Design §9's need-to-know Secrets, measured: 60 unrelated Secrets of 512 KiB appear while the
 * operator runs (watching every namespace) and its heap after GC grows by less than 16 MiB. The
 * API server is a process of its own, so only the operator's memory is in this JVM. Prints the
 * figures.
 */
@WithApiServer
class SecretMemoryE2E {

    static final int SECRETS = 60;
    static final int SECRET_BYTES = 512 * 1024;
    static final long LIMIT = 16L * 1024 * 1024;

    static ApiServer api;

    @Test
    void unrelatedSecretsDoNotGrowTheHeap() throws Exception {
        String ops = api.newNamespace("ops");
        String other = api.newNamespace("unrelated");
        try (EmulatedAccount mailgun = EmulatedAccount.emulatorFor(api.admin, ops)) {
            KubernetesClient operatorClient = api.newAdminClient();
            try (OperatorRuntime ignored = OperatorRuntime.start(operatorClient, mailgun.settings(ops, Set.of()))) {
                api.admin
                        .resource(Serialization.unmarshal("""
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: transactional}
            spec: {ips: [198.51.100.10]}
            """, IpPool.class))
                        .inNamespace(ops)
                        .create();
                mailgun.awaitReady(api.admin, IpPool.class, ops, "transactional");
                long before = usedAfterGc();

                Random random = new Random(13);
                for (int i = 0; i < SECRETS; i++) {
                    byte[] blob = new byte[SECRET_BYTES];
                    random.nextBytes(blob);
                    api.admin
                            .secrets()
                            .inNamespace(other)
                            .resource(new SecretBuilder()
                                    .withNewMetadata()
                                    .withName("blob-" + i)
                                    .endMetadata()
                                    .withData(Map.of("blob", Base64.getEncoder().encodeToString(blob)))
                                    .build())
                            .create();
                }
                // a few poll intervals and reconciles with the Secrets there
                api.admin
                        .resources(IpPool.class)
                        .inNamespace(ops)
                        .withName("transactional")
                        .edit(p -> {
                            p.getMetadata().setLabels(Map.of("touched", "yes"));
                            return p;
                        });
                mailgun.awaitReady(api.admin, IpPool.class, ops, "transactional");
                Thread.sleep(3000);
                long after = usedAfterGc();

                long growth = after - before;
                System.out.printf(
                        "SecretMemoryE2E: %d Secrets of %d KiB elsewhere; heap after GC %.1f MiB before,"
                                + " %.1f MiB after, growth %.1f MiB (limit %d MiB)%n",
                        SECRETS, SECRET_BYTES / 1024, mib(before), mib(after), mib(growth), LIMIT >> 20);
                assertThat(growth).isLessThan(LIMIT);
            }
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** The lowest of a few readings after full GCs, so garbage in flight does not count. */
    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
