package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CrashSafetyAndCredentialsTest {

    KubernetesMockServer server;
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
    void aCrashBetweenTheCreateCallAndRecordingTheIdProducesExactlyOnePool() {
        // Recording the pool id reads the resource first; that read fails once, right after the POST,
        // so the id is lost exactly as if the process had died there.
        server.expect()
                .get()
                .withPath("/apis/mailgun.ippools.dev/v1alpha1/namespaces/default/ippools/crashy")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"simulated crash\"}")
                .once();
        h.start();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: crashy}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> h.calls("POST /v3/ip_pools") >= 1);
        h.stopOperator();

        h.start();
        h.awaitPoolReady("crashy", "True/Available");

        assertThat(h.calls("POST /v3/ip_pools")).isEqualTo(1);
        assertThat(h.emulator.state().pools().stream().filter(p -> p.name().equals("crashy")))
                .hasSize(1);
        String id = h.emulator.state().poolNamed("crashy").orElseThrow().id();
        assertThat(h.pool("crashy").getStatus().poolId()).isEqualTo(id);
    }

    @Test
    void aWrongApiKeyGivesAClearConditionAndAFixedSecretRecovers() {
        client.secrets().inNamespace("default").withName(OperatorHarness.SECRET).edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("apiKey", "wrong-key-1234", "baseUrl", h.emulator.url()));
            return s;
        });
        h.start();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        h.awaitPoolReady("a", "False/Error");
        var ready = OperatorHarness.condition(h.pool("a"), ConditionTypes.READY).orElseThrow();
        assertThat(ready.getMessage()).contains("rejected the API key").doesNotContain("wrong-key");
        var synced =
                OperatorHarness.condition(h.pool("a"), ConditionTypes.SYNCED).orElseThrow();
        assertThat(synced.getReason()).isEqualTo("Unauthorized");
        assertThat(synced.getMessage()).contains("401").doesNotContain("wrong-key");

        client.secrets().inNamespace("default").withName(OperatorHarness.SECRET).edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("apiKey", OperatorHarness.API_KEY, "baseUrl", h.emulator.url()));
            return s;
        });
        h.awaitPoolReady("a", "True/Available");
    }

    @Test
    void aMissingSecretGivesAClearConditionUntilItExists() {
        h.start();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec:
          ips: [198.51.100.10]
          accountRef: {secretName: team-mailgun}
        """, IpPool.class));
        h.awaitPoolReady("a", "False/Error");
        assertThat(OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("Secret default/team-mailgun")
                .contains("not found");
        assertThat(h.calls("POST /v3/ip_pools")).isZero();

        client.secrets()
                .inNamespace("default")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("team-mailgun")
                        .endMetadata()
                        .withStringData(Map.of("apiKey", OperatorHarness.API_KEY, "baseUrl", h.emulator.url()))
                        .build())
                .create();
        h.awaitPoolReady("a", "True/Available");
    }

    @Test
    void anUnreachableApiIsRetriedWithoutLosingAnything() {
        client.secrets().inNamespace("default").withName(OperatorHarness.SECRET).edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("apiKey", OperatorHarness.API_KEY, "baseUrl", "http://127.0.0.1:9"));
            return s;
        });
        h.start(h.settings().withAccountPolicy(h.settings().accountPolicy().allowing("http://127.0.0.1:9")));
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> OperatorHarness.condition(h.pool("a"), ConditionTypes.SYNCED)
                                .map(c -> c.getReason())
                                .orElse(""),
                        "AccountUnreachable"::equals);

        client.secrets().inNamespace("default").withName(OperatorHarness.SECRET).edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("apiKey", OperatorHarness.API_KEY, "baseUrl", h.emulator.url()));
            return s;
        });
        h.awaitPoolReady("a", "True/Available");
    }

    @Test
    void anIpPoolThatNeverReachedMailgunIsDeletedDespiteAMissingSecret() {
        h.start();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: never-created}
        spec:
          ips: [198.51.100.10]
          accountRef: {secretName: no-such-secret}
        """, IpPool.class));
        h.awaitPoolReady("never-created", "False/Error");

        client.resource(h.pool("never-created")).delete();

        h.awaitPoolGone("never-created");
        assertThat(h.emulator.journal().entries()).isEmpty();
    }

    @Test
    void anIpPoolThatNeverReachedMailgunIsDeletedDespiteARejectedKey() {
        client.secrets().inNamespace("default").withName(OperatorHarness.SECRET).edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("apiKey", "wrong-key-1234", "baseUrl", h.emulator.url()));
            return s;
        });
        h.start();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: never-created}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        h.awaitPoolReady("never-created", "False/Error");

        client.resource(h.pool("never-created")).delete();

        h.awaitPoolGone("never-created");
        assertThat(h.calls("POST /v3/ip_pools")).isZero();
    }

    @Test
    void anAdoptedPoolOrAnUnresolvedCreateKeepsItsFinalizerWhileTheSecretIsMissing() {
        h.start();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: adopted}
        spec:
          poolId: 0123456789abcdef01234567
          accountRef: {secretName: no-such-secret}
        """, IpPool.class));
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata:
          name: maybe-created
          annotations: {mailgun.ippools.dev/create-intent: "2026-01-01T00:00:00Z"}
        spec:
          ips: [198.51.100.10]
          accountRef: {secretName: no-such-secret}
        """, IpPool.class));
        h.awaitPoolReady("adopted", "False/Error");
        h.awaitPoolReady("maybe-created", "False/Error");

        client.resource(h.pool("adopted")).delete();
        client.resource(h.pool("maybe-created")).delete();

        for (String name : new String[] {"adopted", "maybe-created"}) {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> OperatorHarness.condition(h.pool(name), ConditionTypes.READY)
                                    .map(c -> c.getMessage())
                                    .orElse(""),
                            m -> m.startsWith("Cannot delete the Mailgun pool"));
        }
        // several cleanup rounds later, both still wait for credentials
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        assertThat(h.pool("adopted")).isNotNull();
        assertThat(h.pool("maybe-created")).isNotNull();
    }
}
