package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountListener;
import dev.ippools.mailgun.account.PollHealth;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.Fault;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An account Mailgun stops answering (architecture §10): every resource of it says so in Synced
 * within a poll, Ready keeps its value with the time Mailgun last confirmed it, and all recover
 * alone.
 */
@EnableKubernetesMockClient(crud = true)
class AccountFailuresTest {

    KubernetesClient client;
    OperatorHarness h;
    final List<String> pollFailures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture()).start();
        h.runtime.accounts().addListener(new AccountListener() {
            @Override
            public void pollFailed(AccountKey account, PollHealth.Cause cause) {
                pollFailures.add(account.label() + " " + cause.label());
            }
        });
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: b}
        spec: {domain: mail.example.com, poolRef: {name: a}}
        """, DomainPoolBinding.class));
        h.awaitPoolReady("a", "True/Available");
        h.awaitBindingReady("b", "True/Available");
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static Condition condition(HasMetadata r, String type) {
        return OperatorHarness.condition(r, type).orElseThrow();
    }

    private void awaitSynced(String reason) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> condition(h.pool("a"), ConditionTypes.SYNCED)
                                .getReason()
                                .equals(reason)
                        && condition(h.binding("b"), ConditionTypes.SYNCED)
                                .getReason()
                                .equals(reason));
    }

    @Test
    void anAccountAnswering503IsReportedOnEveryResourceAndRecoversAlone() {
        h.emulator.faults().add(Fault.status("GET", "^/v3/ip_pools$", 503));

        awaitSynced("AccountUnreachable");
        for (HasMetadata r : List.<HasMetadata>of(h.pool("a"), h.binding("b"))) {
            Condition synced = condition(r, ConditionTypes.SYNCED);
            assertThat(synced.getStatus()).isEqualTo("False");
            assertThat(synced.getMessage()).contains("503").contains("GET /v3/ip_pools");
            Condition ready = condition(r, ConditionTypes.READY);
            assertThat(ready.getStatus() + "/" + ready.getReason()).isEqualTo("True/Available");
            assertThat(ready.getMessage()).contains("Mailgun last confirmed this at");
        }
        assertThat(pollFailures)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f).endsWith(" AccountUnreachable").doesNotContain("test-key"));

        h.emulator.faults().clear();

        awaitSynced("ReconcileSuccess");
        assertThat(condition(h.pool("a"), ConditionTypes.READY).getMessage()).doesNotContain("last confirmed");
        assertThat(condition(h.binding("b"), ConditionTypes.READY).getMessage()).doesNotContain("last confirmed");
    }

    @Test
    void aKeyMailgunStopsAcceptingIsReportedAsUnauthorized() {
        h.emulator.faults().add(Fault.status("GET", "^/v3/ip_pools$", 401));

        awaitSynced("Unauthorized");
        assertThat(condition(h.pool("a"), ConditionTypes.SYNCED).getMessage()).contains("401");
        assertThat(pollFailures).anySatisfy(f -> assertThat(f).endsWith(" Unauthorized"));

        h.emulator.faults().clear();
        awaitSynced("ReconcileSuccess");
    }
}
