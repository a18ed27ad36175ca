package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.local.BundledManifests;
import dev.ippools.mailgun.local.CustomResourceDefinitions;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart installed into a real API server (no nodes: its Deployment never gets a pod),
 * then the operator run in this JVM as the chart's ServiceAccount, through impersonation, with
 * the settings of the chart's Deployment: the chart's RBAC lets it do all its work, and no more.
 */
@WithApiServer(crds = false)
class HelmInstallE2E {

    static final Path CHART = Path.of("helm/mailgun-ip-pool-operator");
    static final String CHART_NAME = "mailgun-ip-pool-operator";

    static ApiServer api;
    EmulatedAccount mailgun;
    OperatorRuntime operator;

    @AfterEach
    void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        if (mailgun != null) {
            mailgun.close();
        }
    }

    /** What the chart's Deployment tells the operator, as the kubelet would resolve it. */
    record DeploymentSettings(
            String serviceAccount,
            Set<String> watchNamespaces,
            String defaultAccountSecret,
            boolean leaderElection,
            String leaseNamespace,
            String leaseName) {

        static DeploymentSettings of(Deployment deployment) {
            String podNamespace = deployment.getMetadata().getNamespace();
            var pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().get(0);
            Map<String, String> env = new HashMap<>();
            for (EnvVar e : container.getEnv()) {
                boolean podNamespaceRef = e.getValueFrom() != null
                        && e.getValueFrom().getFieldRef() != null
                        && "metadata.namespace"
                                .equals(e.getValueFrom().getFieldRef().getFieldPath());
                // The API server drops an empty value: the container sees an empty variable.
                env.put(e.getName(), podNamespaceRef ? podNamespace : e.getValue() == null ? "" : e.getValue());
            }
            return new DeploymentSettings(
                    pod.getServiceAccountName(),
                    Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                            .filter(s -> !s.isBlank())
                            .collect(Collectors.toUnmodifiableSet()),
                    env.getOrDefault("DEFAULT_ACCOUNT_SECRET", ""),
                    Boolean.parseBoolean(env.get("LEADER_ELECTION")),
                    env.get("LEASE_NAMESPACE"),
                    env.get("LEASE_NAME"));
        }
    }

    private Release install(String release, String namespace, Map<String, Object> values, Path tmp) throws IOException {
        Path valuesFile = tmp.resolve(release + "-values.yaml");
        new YAMLMapper().writeValue(valuesFile.toFile(), values);
        return new Helm(CHART)
                .install()
                .withName(release)
                .withNamespace(namespace)
                .withKubeConfig(api.kubeconfig)
                .withValuesFile(valuesFile)
                .call();
    }

    private static Deployment deployment(String namespace, String release) {
        List<Deployment> found = api.admin
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/instance", release)
                .list()
                .getItems();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Starts the operator as the chart's ServiceAccount, configured as its Deployment says. */
    private KubernetesClient startOperatorAs(DeploymentSettings chart, String namespace) {
        KubernetesClient asServiceAccount =
                api.impersonating("system:serviceaccount:" + namespace + ":" + chart.serviceAccount());
        String secret = chart.defaultAccountSecret();
        String secretNamespace = secret.contains("/") ? secret.substring(0, secret.indexOf('/')) : namespace;
        String secretName = secret.substring(secret.indexOf('/') + 1);
        mailgun = EmulatedAccount.emulatorFor(api.admin, secretNamespace, secretName);
        OperatorConfig config = mailgun.settings(secretNamespace, secretName, chart.watchNamespaces());
        if (chart.leaderElection()) {
            config = config.withLeaderElection(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(chart.leaseName())
                            .withLeaseNamespace(chart.leaseNamespace())
                            .withIdentity("helm-e2e")
                            .withExitOnStopLeading(false)
                            .build());
        }
        operator = OperatorRuntime.start(asServiceAccount, config);
        return asServiceAccount;
    }

    private static <T extends HasMetadata> T create(String namespace, String yaml) {
        @SuppressWarnings("unchecked")
        T resource = (T) BundledManifests.parse(yaml).get(0);
        return api.admin.resource(resource).inNamespace(namespace).create();
    }

    private static void assertForbidden(ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void theChartInstallsAndItsServiceAccountCanRunTheOperatorClusterWide(@TempDir Path tmp) throws IOException {
        String namespace = api.newNamespace("mailgun-system");
        Release release =
                install(CHART_NAME, namespace, Map.of("defaultAccount", Map.of("existingSecret", "mailgun")), tmp);
        assertThat(release.getStatus()).isEqualTo("deployed");

        // Helm installed the chart's CRDs and every object; the Deployment waits for a node.
        for (String crd : List.of("ippools.mailgun.ippools.dev", "domainpoolbindings.mailgun.ippools.dev")) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> CustomResourceDefinitions.established(api.admin
                            .apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crd)
                            .get()));
        }
        Deployment deployment = deployment(namespace, CHART_NAME);
        assertThat(deployment.getMetadata().getName()).isEqualTo(CHART_NAME);
        assertThat(api.admin
                        .serviceAccounts()
                        .inNamespace(namespace)
                        .withName(CHART_NAME)
                        .get())
                .isNotNull();
        assertThat(api.admin
                        .rbac()
                        .clusterRoles()
                        .withName(CHART_NAME + "-manager")
                        .get())
                .isNotNull();
        assertThat(api.admin
                        .rbac()
                        .clusterRoleBindings()
                        .withName(CHART_NAME + "-manager")
                        .get())
                .isNotNull();
        assertThat(api.admin
                        .rbac()
                        .roles()
                        .inNamespace(namespace)
                        .withName(CHART_NAME + "-leader-election")
                        .get())
                .isNotNull();
        assertThat(api.admin
                        .services()
                        .inNamespace(namespace)
                        .withName(CHART_NAME + "-metrics")
                        .get())
                .isNotNull();

        DeploymentSettings chart = DeploymentSettings.of(deployment);
        assertThat(chart.watchNamespaces()).isEmpty();
        assertThat(chart.leaderElection()).isTrue();
        KubernetesClient asOperator = startOperatorAs(chart, namespace);

        String team = api.newNamespace("team-a");
        create(team, """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: transactional}
        spec:
          ips: [198.51.100.10, 198.51.100.11]
        """);
        create(team, """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: mail-example-com}
        spec:
          domain: mail.example.com
          poolRef: {name: transactional}
          replacement: {ip: 198.51.100.12}
        """);

        // Reconciled to Ready: informers (list/watch), finalizers, status (server-side apply).
        IpPool pool = mailgun.awaitReady(api.admin, IpPool.class, team, "transactional");
        DomainPoolBinding binding = mailgun.awaitReady(api.admin, DomainPoolBinding.class, team, "mail-example-com");
        assertThat(pool.getMetadata().getFinalizers()).contains(ApiConstants.FINALIZER);
        assertThat(binding.getMetadata().getFinalizers()).contains(ApiConstants.FINALIZER);
        assertThat(mailgun.emulator.state().linkedPool("mail.example.com"))
                .contains(pool.getStatus().poolId());
        // Events (the recorder swallows a refusal, so only their presence proves the right).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.admin.v1().events().inNamespace(team).list().getItems().stream()
                        .map(Event::getReportingComponent)
                        .anyMatch(CHART_NAME::equals));
        // The leader Lease, held by this operator.
        Lease lease = api.admin
                .resources(Lease.class)
                .inNamespace(chart.leaseNamespace())
                .withName(chart.leaseName())
                .get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("helm-e2e");

        // Nothing beyond its role: no Deployments, no writing Secrets, no creating its own kinds.
        assertForbidden(
                () -> asOperator.apps().deployments().inNamespace(namespace).list());
        assertForbidden(() -> asOperator
                .secrets()
                .inNamespace(team)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("stolen")
                        .endMetadata()
                        .build())
                .create());
        assertForbidden(() -> asOperator
                .resources(IpPool.class)
                .inNamespace(team)
                .resource(BundledManifests.parse("""
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: self-made}
            spec: {ips: [198.51.100.13]}
            """).stream()
                        .map(IpPool.class::cast)
                        .findFirst()
                        .orElseThrow())
                .create());

        // Deletion runs the finalizers: the operator removes them with its own rights.
        api.admin.resource(binding).delete();
        mailgun.awaitGone(api.admin, DomainPoolBinding.class, team, "mail-example-com");
        api.admin.resource(pool).delete();
        mailgun.awaitGone(api.admin, IpPool.class, team, "transactional");
        assertThat(mailgun.emulator.state().pool(pool.getStatus().poolId())).isEmpty();
    }

    @Test
    void withWatchedNamespacesItsRightsStopAtThoseNamespaces(@TempDir Path tmp) throws IOException {
        String namespace = api.newNamespace("mailgun-ns");
        String team = api.newNamespace("team-b");
        String other = api.newNamespace("team-c");
        String release = "scoped";
        install(
                release,
                namespace,
                Map.of(
                        "watchNamespaces", List.of(team),
                        "defaultAccount", Map.of("existingSecret", "mailgun"),
                        "rbac", Map.of("aggregateUserRoles", false)),
                tmp);

        DeploymentSettings chart = DeploymentSettings.of(deployment(namespace, release));
        assertThat(chart.watchNamespaces()).containsExactly(team);
        KubernetesClient asOperator = startOperatorAs(chart, namespace);

        create(team, """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: bulk}
        spec:
          ips: [198.51.100.13]
        """);
        mailgun.awaitReady(api.admin, IpPool.class, team, "bulk");

        // The default account's Secret is readable by name only; other namespaces are closed.
        assertThat(asOperator
                        .secrets()
                        .inNamespace(namespace)
                        .withName("mailgun")
                        .get())
                .isNotNull();
        assertForbidden(() -> asOperator.secrets().inNamespace(namespace).list());
        assertForbidden(() -> asOperator.secrets().inNamespace(other).list());
        assertForbidden(
                () -> asOperator.resources(IpPool.class).inNamespace(other).list());
        assertForbidden(
                () -> asOperator.resources(IpPool.class).inAnyNamespace().list());
    }
}
