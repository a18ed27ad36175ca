package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes whose first attempt Mailgun carried out although the answer was a 5xx: the client's
 * retry then meets "not found" or "no changes", which completes the step instead of failing it.
 * The account poll is slow here, so only the reconcile itself can notice.
 */
@EnableKubernetesMockClient(crud = true)
class GoneIsDoneTest {

    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void setUp() {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture());
        h.start(h.settings().withPollInterval(Duration.ofMinutes(5)));
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        h.awaitPoolReady("a", "True/Available");
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aDeleteRetriedAfterALostAnswerMeets404AndTheIpPoolGoes() {
        h.emulator
                .faults()
                .add(Fault.status("DELETE", "^/v3/ip_pools/[0-9a-f]+$", 503)
                        .afterCommit()
                        .withCount(1));

        h.client
                .resources(IpPool.class)
                .inNamespace(OperatorHarness.NS)
                .withName("a")
                .delete();

        h.awaitPoolGone("a");
        assertThat(h.emulator.journal().entries("DELETE /v3/ip_pools/{pool_id}"))
                .extracting(JournalEntry::status)
                .containsExactly(503, 404);
        assertThat(h.emulator.state().poolNamed("a")).isEmpty();
    }

    @Test
    void aPatchRetriedAfterALostAnswerMeetsNoChangesAndCountsAsDone() {
        h.emulator
                .faults()
                .add(Fault.status("PATCH", "^/v3/ip_pools/[0-9a-f]+$", 503)
                        .afterCommit()
                        .withCount(1));

        h.edit(IpPool.class, "a", p -> {
            IpPoolSpec s = p.getSpec();
            p.setSpec(new IpPoolSpec(
                    "renamed",
                    s.description(),
                    s.ips(),
                    s.delegatedTo(),
                    s.poolId(),
                    s.accountRef(),
                    s.managementPolicy(),
                    s.deletionPolicy(),
                    s.replacement()));
            return p;
        });

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> h.calls("PATCH /v3/ip_pools/{pool_id}") >= 2);
        h.awaitPoolReady("a", "True/Available");
        assertThat(h.emulator.journal().entries("PATCH /v3/ip_pools/{pool_id}"))
                .extracting(JournalEntry::status)
                .containsExactly(503, 400);
        assertThat(h.emulator.state().poolNamed("renamed")).isPresent();
    }
}
