package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class IpPoolLifecycleTest {

    KubernetesMockServer server;
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture()).start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void createsThePoolOnceAndReportsAvailable() {
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: transactional}
        spec:
          description: Receipts
          ips: [198.51.100.10, 198.51.100.11]
        """, IpPool.class));

        h.awaitPoolReady("transactional", "True/Available");

        IpPool pool = h.pool("transactional");
        String poolId = pool.getStatus().poolId();
        assertThat(poolId).matches("[0-9a-f]{24}");
        assertThat(pool.getMetadata().getAnnotations())
                .containsEntry(ApiConstants.POOL_ID_ANNOTATION, poolId)
                .doesNotContainKey(ApiConstants.CREATE_INTENT_ANNOTATION);
        assertThat(pool.getStatus().ips()).containsExactly("198.51.100.10", "198.51.100.11");
        var view = h.emulator.state().pool(poolId).orElseThrow();
        assertThat(view.ips()).containsExactlyInAnyOrder("198.51.100.10", "198.51.100.11");
        assertThat(view.description())
                .startsWith("Receipts")
                .contains(pool.getMetadata().getUid());
        assertThat(h.calls("POST /v3/ip_pools")).isEqualTo(1);
    }
}
