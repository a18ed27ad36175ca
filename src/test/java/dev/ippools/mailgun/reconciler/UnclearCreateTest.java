package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Creates whose answer is lost (architecture §10): never a second pool while the first one's
 * outcome is unknown, and a deleted IpPool keeps its finalizer until the late pool shows up and is
 * deleted. Pools without IPs, so that a second create would succeed and show as a duplicate.
 */
@EnableKubernetesMockClient(crud = true)
class UnclearCreateTest {

    static final String CREATE = "POST /v3/ip_pools";

    KubernetesClient client;
    OperatorHarness h;
    Instant lateCreateDone;

    @BeforeEach
    void setUp() {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture());
        h.start(h.settings(
                OperatorHarness.reconcileSettings().withCreateOutcomeWait(Duration.ofSeconds(20)),
                OperatorHarness.clientsWithReadTimeout(Duration.ofMillis(300))));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void applyEmptyPool(String name) {
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s}
        spec: {description: no IPs yet}
        """.formatted(name), IpPool.class));
    }

    private long poolsNamed(String name) {
        return h.emulator.state().pools().stream()
                .filter(p -> p.name().equals(name))
                .count();
    }

    /** Arms a create that Mailgun finishes {@code latencyMs} after receiving it. */
    private void slowCreate(long latencyMs) {
        lateCreateDone = Instant.now().plusMillis(latencyMs);
        h.emulator
                .faults()
                .add(Fault.latency("POST", "^/v3/ip_pools$", latencyMs).withCount(1));
    }

    // The journal has an entry once Mailgun answered; the slow create's is the first that late.
    private boolean lateCreateAnswered() {
        return h.emulator.journal().entries(CREATE).stream()
                .anyMatch(e -> e.status() == 200 && !e.timestamp().isBefore(lateCreateDone));
    }

    @Test
    void aCreateMailgunFinishesAfterTheClientGaveUpIsFoundNotRepeated() {
        // Mailgun works on the create for 1.5 s; the client stops listening after 0.3 s.
        slowCreate(1_500);
        applyEmptyPool("slow");

        h.awaitPoolReady("slow", "True/Available");
        await().atMost(Duration.ofSeconds(10)).until(this::lateCreateAnswered);

        assertThat(h.calls(CREATE)).isEqualTo(1);
        assertThat(poolsNamed("slow")).isEqualTo(1);
        String id = h.emulator.state().poolNamed("slow").orElseThrow().id();
        assertThat(h.pool("slow").getStatus().poolId()).isEqualTo(id);
    }

    @Test
    void aServerErrorAfterTheCreateCommittedIsNeitherRetriedNorRepeated() {
        h.emulator
                .faults()
                .add(Fault.status("POST", "^/v3/ip_pools$", 502).afterCommit().withCount(1));
        applyEmptyPool("gateway");

        h.awaitPoolReady("gateway", "True/Available");

        assertThat(h.emulator.journal().entries(CREATE))
                .extracting(JournalEntry::status)
                .containsExactly(502);
        assertThat(poolsNamed("gateway")).isEqualTo(1);
    }

    @Test
    void aPoolDeletedDuringAnUnclearCreateKeepsItsFinalizerAndTheLatePoolIsDeleted() {
        slowCreate(2_500);
        applyEmptyPool("doomed");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> OperatorHarness.condition(h.pool("doomed"), ConditionTypes.SYNCED)
                                .map(c -> c.getReason())
                                .orElse(""),
                        "CreateIncomplete"::equals);

        h.client
                .resources(IpPool.class)
                .inNamespace(OperatorHarness.NS)
                .withName("doomed")
                .delete();

        // Mailgun has not made the pool yet: the IpPool must not go before it has.
        await().atMost(Duration.ofSeconds(10)).until(this::lateCreateAnswered);
        h.awaitPoolGone("doomed");
        assertThat(poolsNamed("doomed")).isZero();
        assertThat(h.calls("DELETE /v3/ip_pools/{pool_id}")).isEqualTo(1);
        assertThat(h.calls(CREATE)).isEqualTo(1);
    }

    @Test
    void aCreateMailgunRejectedLeavesNoWaitBehind() {
        h.emulator.faults().add(Fault.status("POST", "^/v3/ip_pools$", 400).withCount(1));
        applyEmptyPool("retried");
        h.awaitPoolReady("retried", "False/Error");
        // A 400 means Mailgun made nothing: the next create need not wait for this one.
        assertThat(h.pool("retried").getMetadata().getAnnotations())
                .doesNotContainKey(ApiConstants.CREATE_INTENT_ANNOTATION);

        h.edit(IpPool.class, "retried", p -> {
            IpPoolSpec s = p.getSpec();
            p.setSpec(new IpPoolSpec(
                    s.name(),
                    "second try",
                    s.ips(),
                    s.delegatedTo(),
                    s.poolId(),
                    s.accountRef(),
                    s.managementPolicy(),
                    s.deletionPolicy(),
                    s.replacement()));
            return p;
        });
        h.awaitPoolReady("retried", "True/Available");

        assertThat(h.calls(CREATE)).isEqualTo(2);
        assertThat(poolsNamed("retried")).isEqualTo(1);
    }
}
