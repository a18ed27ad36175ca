package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Design §9 in the reconcile loop: refused accounts cost zero Mailgun calls. */
@EnableKubernetesMockClient(crud = true)
class AccountPolicyReconcileTest {

    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void setUp() {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aNamespaceNotListedMayNotUseTheDefaultAccount() {
        h.start(h.settings()
                .withAccountPolicy(h.settings().accountPolicy().withDefaultAccountNamespaces(Set.of("ops"))));
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        h.awaitPoolReady("a", "False/AccountNotAllowed");
        assertThat(OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("namespace default may not use the operator's default");
        assertThat(h.emulator.journal().entries()).isEmpty();

        // never acted for it: deleting it leaves Mailgun alone and does not hang on the finalizer
        client.resources(IpPool.class).inNamespace("default").withName("a").delete();
        h.awaitPoolGone("a");
        assertThat(h.emulator.journal().entries()).isEmpty();
    }

    @Test
    void aSecretPointingOutsideTheAllowListGetsNothingSent() {
        try (MailgunEmulator elsewhere =
                MailgunEmulator.start(EmulatorConfig.defaults().withPort(0).withApiKey(OperatorHarness.API_KEY))) {
            client.secrets()
                    .inNamespace("default")
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("tenant")
                            .endMetadata()
                            .withStringData(Map.of("apiKey", OperatorHarness.API_KEY, "baseUrl", elsewhere.url()))
                            .build())
                    .create();
            h.start();
            h.apply(yaml("""
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: IpPool
          metadata: {name: a}
          spec:
            ips: [198.51.100.10]
            accountRef: {secretName: tenant}
          """, IpPool.class));
            h.awaitPoolReady("a", "False/Invalid");
            String message = OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                    .orElseThrow()
                    .getMessage();
            assertThat(message).contains("Secret default/tenant: key baseUrl").doesNotContain(elsewhere.url());
            assertThat(elsewhere.journal().entries()).isEmpty();
        }
    }
}
