package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the e2e tier has a real etcd + kube-apiserver: the binaries that kube-api-test finds
 * under {@code $KUBE_API_TEST_DIR} or {@code ~/.kubeapitest} (built by {@code
 * .ci/envtest-binaries.sh} where they cannot be downloaded) start and serve the core API.
 */
class KubeApiServerSmokeIT {

    // Generous: etcd and kube-apiserver share two cores with the Maven build in CI.
    private static final int STARTUP_TIMEOUT_MILLIS = 180_000;

    private static KubeAPIServer apiServer;

    @BeforeAll
    static void startApiServer() {
        apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(dev.ippools.mailgun.local.LocalApiServer.binariesInstalled())
                .withWaitForEtcdHealthCheckOnStartup(true)
                .withStartupTimeout(STARTUP_TIMEOUT_MILLIS)
                .build());
        try {
            apiServer.start();
        } catch (KubeAPITestException e) {
            throw new IllegalStateException(
                    "kube-api-test could not start etcd + kube-apiserver; "
                            + "run `bash .ci/envtest-binaries.sh` to provide the binaries",
                    e);
        }
    }

    @AfterAll
    static void stopApiServer() {
        if (apiServer != null) {
            apiServer.stop();
        }
    }

    @Test
    void servesNamespacesAndConfigMaps() {
        Config config = Config.fromKubeconfig(apiServer.getKubeConfigYaml());
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            VersionInfo version = client.getKubernetesVersion();
            assertThat(version.getMajor()).isEqualTo("1");
            // A real release version, not the v0.0.0-master of an unstamped build.
            assertThat(version.getGitVersion()).matches("v1\\.\\d+\\.\\d+");

            String namespace = "smoke-" + Long.toHexString(System.nanoTime());
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();

            client.configMaps()
                    .inNamespace(namespace)
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("pool-settings")
                            .endMetadata()
                            .withData(Map.of("pool", "dipp-a"))
                            .build())
                    .create();

            ConfigMap stored = client.configMaps()
                    .inNamespace(namespace)
                    .withName("pool-settings")
                    .get();
            assertThat(stored.getData()).containsExactlyEntriesOf(Map.of("pool", "dipp-a"));
            assertThat(stored.getMetadata().getUid()).isNotBlank();
            assertThat(client.namespaces().withName(namespace).get().getStatus().getPhase())
                    .isEqualTo("Active");
        }
    }
}
