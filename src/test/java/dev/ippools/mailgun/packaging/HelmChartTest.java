package dev.ippools.mailgun.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.ippools.mailgun.cli.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart, linted and rendered in-process the way {@code helm template} renders it. */
class HelmChartTest {

    private static final List<String> WATCHED = List.of("team-a", "team-b");

    @Test
    void lintStrictPasses() {
        LintResult result = new Helm(ChartRenderer.chartDir()).lint().strict().call();

        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void chartCrdsAreExactCopiesOfTheGeneratedCrds() throws IOException {
        Path topLevel = Manifests.projectDir().resolve("crds");
        Path chart = ChartRenderer.chartDir().resolve("crds");
        List<String> generated =
                fileNames(topLevel).stream().filter(n -> n.endsWith(".yml")).toList();

        assertThat(generated).isNotEmpty();
        // Helm would try to install any other file in crds/ (a kustomization.yaml, say) as a CRD.
        assertThat(fileNames(chart)).containsExactlyInAnyOrderElementsOf(generated);
        for (String name : generated) {
            assertThat(Files.readString(chart.resolve(name)))
                    .as(
                            "helm/mailgun-ip-pool-operator/crds/%s differs from crds/%s; refresh both with"
                                    + " `mvn -Pupdate-crds process-classes`",
                            name, name)
                    .isEqualTo(Files.readString(topLevel.resolve(name)));
        }
    }

    static Stream<Arguments> valueSets() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("watched namespaces", Map.of("watchNamespaces", WATCHED)),
                Arguments.of(
                        "watched namespaces, default account elsewhere",
                        Map.of(
                                "watchNamespaces",
                                WATCHED,
                                "defaultAccount",
                                Map.of("existingSecret", "mail/mailgun-key"))),
                Arguments.of(
                        "created secret, no leader election",
                        Map.of(
                                "defaultAccount", Map.of("create", true, "apiKey", "key-123"),
                                "leaderElection", Map.of("enabled", false),
                                "serviceMonitor", Map.of("enabled", true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void noRbacRuleUsesAWildcard(String name, Map<String, Object> values) {
        List<PolicyRule> rules = allRules(ChartRenderer.render(values));

        assertThat(rules).isNotEmpty();
        for (PolicyRule rule : rules) {
            assertThat(rule.getVerbs()).isNotEmpty().doesNotContain("*");
            assertThat(rule.getResources()).isNotEmpty().doesNotContain("*").noneMatch(r -> r.endsWith("/*"));
            assertThat(rule.getApiGroups()).isNotEmpty().doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void noSecretIsEverListedOrWatched(String name, Map<String, Object> values) {
        assertThat(allRules(ChartRenderer.render(values)))
                .filteredOn(rule -> rule.getResources().contains("secrets"))
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactly("get"));
    }

    @Test
    void watchingAllNamespacesGrantsExactlyTheOperatorsRightsClusterWide() {
        Manifests rendered = ChartRenderer.render(Map.of());

        ClusterRole manager = clusterRole(rendered, "-manager");
        assertThat(Grant.of(manager.getRules())).isEqualTo(Grant.union(Grant.OPERATOR, Grant.OWNER_ID));
        assertThat(manager.getRules())
                .filteredOn(r -> r.getResources().contains("namespaces"))
                .singleElement()
                .satisfies(r -> assertThat(r.getResourceNames()).containsExactly("kube-system"));
        // a given owner id needs no namespace read
        assertThat(Grant.of(clusterRole(ChartRenderer.render(Map.of("ownerId", "prod")), "-manager")
                        .getRules()))
                .isEqualTo(Grant.OPERATOR);
        ClusterRoleBinding binding = rendered.only(ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getName())
                .isEqualTo(manager.getMetadata().getName());
        assertBoundToOperator(rendered, binding.getSubjects());
        // Namespaced Roles: only the lease.
        Role lease = rendered.only(Role.class);
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        assertThat(Grant.of(lease.getRules())).isEqualTo(Grant.LEADER_ELECTION);
        RoleBinding leaseBinding = rendered.only(RoleBinding.class);
        assertThat(leaseBinding.getRoleRef().getName())
                .isEqualTo(lease.getMetadata().getName());
        assertThat(leaseBinding.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        assertBoundToOperator(rendered, leaseBinding.getSubjects());
    }

    @Test
    void watchedNamespacesGetOneRoleEachAndNothingClusterWide() {
        Manifests rendered = ChartRenderer.render(Map.of("watchNamespaces", WATCHED));

        assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
        // Not even the aggregated roles for people, which would reach every namespace.
        assertThat(rendered.all(ClusterRole.class)).isEmpty();
        Map<String, Role> managers = rendered.all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-manager"))
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), Function.identity()));
        assertThat(managers).containsOnlyKeys(WATCHED);
        managers.values().forEach(r -> assertThat(Grant.of(r.getRules())).isEqualTo(Grant.OPERATOR));
        for (String namespace : WATCHED) {
            RoleBinding binding = rendered.all(RoleBinding.class).stream()
                    .filter(b -> namespace.equals(b.getMetadata().getNamespace()))
                    .collect(onlyOne());
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getRoleRef().getName())
                    .isEqualTo(managers.get(namespace).getMetadata().getName());
            assertBoundToOperator(rendered, binding.getSubjects());
        }
        assertThat(env(rendered)).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
        // No default account configured: no extra Secret access.
        assertThat(rendered.all(Role.class))
                .noneMatch(r -> r.getMetadata().getName().endsWith("-default-account"));
    }

    @Test
    void userRolesAreAggregatedOnlyWhenAllNamespacesAreWatched() {
        String fullname = ChartRenderer.RELEASE + "-mailgun-ip-pool-operator";

        assertThat(ChartRenderer.render(Map.of()).all(ClusterRole.class))
                .map(r -> r.getMetadata().getName())
                .contains(fullname + "-editor", fullname + "-viewer");
        assertThat(ChartRenderer.render(Map.of("watchNamespaces", WATCHED, "rbac", Map.of("aggregateUserRoles", true)))
                        .all(ClusterRole.class))
                .isEmpty();
        assertThat(ChartRenderer.render(Map.of("rbac", Map.of("aggregateUserRoles", false)))
                        .all(ClusterRole.class))
                .map(r -> r.getMetadata().getName())
                .containsExactly(fullname + "-manager");
    }

    @Test
    void aDefaultAccountSecretOutsideTheWatchedNamespacesIsReadableByNameOnly() {
        Manifests rendered = ChartRenderer.render(
                Map.of("watchNamespaces", WATCHED, "defaultAccount", Map.of("existingSecret", "mail/mailgun-key")));

        Role role = rendered.all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-default-account"))
                .collect(onlyOne());
        assertThat(role.getMetadata().getNamespace()).isEqualTo("mail");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResourceNames()).containsExactly("mailgun-key");
            assertThat(Grant.of(List.of(rule))).isEqualTo(Grant.all("", Set.of("secrets"), Set.of("get")));
        });
        RoleBinding binding = rendered.all(RoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals(role.getMetadata().getName()))
                .collect(onlyOne());
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("mail");
        assertBoundToOperator(rendered, binding.getSubjects());
        assertThat(env(rendered)).containsEntry("DEFAULT_ACCOUNT_SECRET", "mail/mailgun-key");
    }

    @Test
    void aDefaultAccountSecretInAWatchedNamespaceNeedsNoExtraRole() {
        Manifests rendered = ChartRenderer.render(Map.of(
                "watchNamespaces", List.of(ChartRenderer.NAMESPACE, "team-a"),
                "defaultAccount", Map.of("existingSecret", "mailgun-key")));

        assertThat(rendered.all(Role.class))
                .noneMatch(r -> r.getMetadata().getName().endsWith("-default-account"));
        assertThat(env(rendered)).containsEntry("DEFAULT_ACCOUNT_SECRET", "mailgun-key");
    }

    @Test
    void leaderElectionCanMoveTheLeaseOrBeTurnedOff() {
        Manifests moved = ChartRenderer.render(
                Map.of("leaderElection", Map.of("leaseNamespace", "leases", "leaseName", "mg-lease")));
        assertThat(moved.only(Role.class).getMetadata().getNamespace()).isEqualTo("leases");
        assertThat(moved.only(RoleBinding.class).getMetadata().getNamespace()).isEqualTo("leases");
        assertThat(env(moved))
                .containsEntry("LEASE_NAMESPACE", "leases")
                .containsEntry("LEASE_NAME", "mg-lease")
                .containsEntry("LEADER_ELECTION", "true");

        Manifests off = ChartRenderer.render(Map.of("leaderElection", Map.of("enabled", false)));
        assertThat(off.all(Role.class)).isEmpty();
        assertThat(off.all(RoleBinding.class)).isEmpty();
        assertThat(env(off)).containsEntry("LEADER_ELECTION", "false");
    }

    @Test
    void theOwnerIdIsPassedOnAndLeftToTheClusterWhenNotGiven() {
        assertThat(env(ChartRenderer.render(Map.of("ownerId", "prod-eu")))).containsEntry("OWNER_ID", "prod-eu");
        // helm template has no cluster to look kube-system up in: the operator derives it itself
        assertThat(env(ChartRenderer.render(Map.of()))).doesNotContainKey("OWNER_ID");
    }

    @Test
    void probesUseTheNamedPortTheContainerExposes() {
        Manifests rendered = ChartRenderer.render(Map.of());
        Container container = container(rendered);

        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertHttpGet(container.getLivenessProbe(), "/healthz");
        assertHttpGet(container.getReadinessProbe(), "/readyz");

        Service service = rendered.only(Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getTargetPort()).isEqualTo(new IntOrString("http"));
        });
        Deployment deployment = rendered.only(Deployment.class);
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels)
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void theHttpPortAndBindAddressReachTheContainerItsProbesAndTheService() {
        Manifests rendered = ChartRenderer.render(
                Map.of("hostNetwork", true, "http", Map.of("port", 18080, "bindAddress", "127.0.0.1")));
        Container container = container(rendered);
        PodSpec pod = rendered.only(Deployment.class).getSpec().getTemplate().getSpec();

        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(18080));
        assertThat(env(rendered)).containsEntry("HTTP_PORT", "18080").containsEntry("HTTP_BIND_ADDRESS", "127.0.0.1");
        for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getHost()).isEqualTo("127.0.0.1");
            assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
        }
        assertThat(rendered.only(Service.class).getSpec().getPorts())
                .singleElement()
                .satisfies(port -> assertThat(port.getTargetPort()).isEqualTo(new IntOrString("http")));

        // By default: the pod network, every interface, probes to the pod's IP.
        Manifests plain = ChartRenderer.render(Map.of());
        assertThat(plain.only(Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getHostNetwork())
                .isNull();
        assertThat(plain.only(Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getDnsPolicy())
                .isNull();
        assertThat(container(plain).getLivenessProbe().getHttpGet().getHost()).isNull();
        // A wildcard address is every interface: the probes keep the pod's IP.
        assertThat(container(ChartRenderer.render(Map.of("http", Map.of("bindAddress", "0.0.0.0"))))
                        .getReadinessProbe()
                        .getHttpGet()
                        .getHost())
                .isNull();
    }

    @Test
    void aBindAddressTheKubeletCannotReachIsRefused() {
        assertThatThrownBy(() -> ChartRenderer.render(Map.of("http", Map.of("bindAddress", "127.0.0.1"))))
                .hasMessageContaining("http.bindAddress needs hostNetwork: true");
    }

    @Test
    void extraEnvAndEnvFromAreAddedToTheContainer() {
        Manifests rendered = ChartRenderer.render(Map.of(
                "extraEnv", List.of(Map.of("name", "KUBERNETES_SERVICE_HOST", "value", "10.0.0.1")),
                "envFrom",
                        List.of(
                                Map.of("configMapRef", Map.of("name", "proxy.settings")),
                                Map.of("secretRef", Map.of("name", "extra", "optional", true), "prefix", "X_"))));

        assertThat(env(rendered))
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.0.0.1")
                .containsEntry("POD_NAME", "fieldRef:metadata.name");
        assertThat(container(rendered).getEnvFrom()).hasSize(2);
        assertThat(container(rendered).getEnvFrom().get(0).getConfigMapRef().getName())
                .isEqualTo("proxy.settings");
        assertThat(container(rendered).getEnvFrom().get(1).getSecretRef().getOptional())
                .isTrue();
        assertThat(container(rendered).getEnvFrom().get(1).getPrefix()).isEqualTo("X_");
        assertThat(container(ChartRenderer.render(Map.of())).getEnvFrom()).isEmpty();
    }

    @Test
    void theContainerRunsTheOperatorCommandFromTheChartsImage() {
        Manifests rendered = ChartRenderer.render(Map.of());
        Container container = container(rendered);

        assertThat(container.getImage())
                .isEqualTo(valuesYaml().path("image").path("repository").asText() + ":"
                        + chartYaml().path("appVersion").asText());
        // The image's entrypoint is `java -jar /app/mailgun-ip-pool-operator.jar`.
        assertThat(container.getCommand()).isEmpty();
        assertThat(container.getArgs()).containsExactly("run");
        assertThat(rendered.only(Deployment.class).getSpec().getReplicas()).isEqualTo(1);
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(rendered.only(Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isEqualTo(rendered.only(ServiceAccount.class).getMetadata().getName());

        Container pinned = container(ChartRenderer.render(
                Map.of("image", Map.of("repository", "registry.example.com/mgo", "tag", "1.2.3"), "replicas", 2)));
        assertThat(pinned.getImage()).isEqualTo("registry.example.com/mgo:1.2.3");
    }

    @Test
    void podAndContainerRunLockedDown() {
        Manifests rendered = ChartRenderer.render(Map.of());
        PodSecurityContext pod = rendered.only(Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext();
        SecurityContext container = container(rendered).getSecurityContext();

        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getRunAsNonRoot()).isTrue();
        assertThat(container.getRunAsUser()).isEqualTo(65532L);
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isEmpty();
        assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // A read-only root still needs a writable /tmp.
        assertThat(container(rendered).getVolumeMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/tmp");
            assertThat(rendered.only(Deployment.class)
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getVolumes())
                    .singleElement()
                    .satisfies(v -> {
                        assertThat(v.getName()).isEqualTo(mount.getName());
                        assertThat(v.getEmptyDir()).isNotNull();
                    });
        });
    }

    @Test
    void environmentCarriesTheValuesFromValuesYaml() {
        JsonNode values = valuesYaml();
        Manifests rendered = ChartRenderer.render(Map.of());

        assertThat(env(rendered))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("WATCH_NAMESPACES", ""),
                        Map.entry("DEFAULT_ACCOUNT_NAMESPACES", ""),
                        Map.entry("MAILGUN_ALLOWED_BASE_URLS", "https://api.mailgun.net,https://api.eu.mailgun.net"),
                        Map.entry("POD_NAMESPACE", "fieldRef:metadata.namespace"),
                        Map.entry("POLL_INTERVAL", values.path("pollInterval").asText()),
                        Map.entry(
                                "RELINK_POLL_INTERVAL",
                                values.path("relinkPollInterval").asText()),
                        Map.entry(
                                "CREATE_OUTCOME_WAIT",
                                values.path("createOutcomeWait").asText()),
                        Map.entry(
                                "DELETE_ORPHANED_POOLS",
                                values.path("deleteOrphanedPools").asText()),
                        Map.entry("MAILGUN_RATE_LIMIT", values.path("rateLimit").asText()),
                        Map.entry("MAILGUN_RATE_BURST", values.path("rateBurst").asText()),
                        Map.entry("HTTP_PORT", "8080"),
                        Map.entry("HTTP_BIND_ADDRESS", ""),
                        Map.entry("POD_NAME", "fieldRef:metadata.name"),
                        Map.entry("LOG_FORMAT", values.path("logFormat").asText()),
                        Map.entry("LOG_LEVEL", values.path("logLevel").asText()),
                        Map.entry(
                                "LEADER_ELECTION",
                                values.path("leaderElection").path("enabled").asText()),
                        Map.entry("LEASE_NAMESPACE", "fieldRef:metadata.namespace"),
                        Map.entry(
                                "LEASE_NAME",
                                values.path("leaderElection").path("leaseName").asText())));
        assertThat(values.path("pollInterval").asText()).isEqualTo("60s");
        assertThat(values.path("relinkPollInterval").asText()).isEqualTo("5s");
        assertThat(values.path("rateLimit").asInt()).isEqualTo(10);
        assertThat(values.path("rateBurst").asInt()).isEqualTo(20);
    }

    /** The chart sets only variables {@code run} reads, with {@code run}'s own defaults. */
    @Test
    void everyVariableTheChartSetsIsARunSettingWithItsDefault() {
        Map<String, String> fallbacks = new LinkedHashMap<>();
        for (RecordComponent c : OperatorSettings.class.getRecordComponents()) {
            OperatorSettings.Setting s = c.getAnnotation(OperatorSettings.Setting.class);
            fallbacks.put(s.env(), s.fallback());
        }
        Map<String, String> env = env(ChartRenderer.render(Map.of()));

        assertThat(fallbacks).containsKeys(env.keySet().toArray(String[]::new));
        env.forEach((name, value) -> {
            if (!value.startsWith("fieldRef:")) {
                assertThat(value).as(name).isEqualTo(fallbacks.get(name));
            }
        });
    }

    @Test
    void environmentFollowsOverriddenValues() {
        Manifests rendered = ChartRenderer.render(Map.of(
                "pollInterval",
                "2m",
                "relinkPollInterval",
                "500ms",
                "createOutcomeWait",
                "5m",
                "deleteOrphanedPools",
                true,
                "rateLimit",
                2.5,
                "rateBurst",
                5,
                "logFormat",
                "json",
                "logLevel",
                "debug",
                "allowedBaseUrls",
                List.of("http://mailgun-emulator.test:8025"),
                "defaultAccount",
                Map.of("existingSecret", "mailgun-key", "namespaces", List.of("team-a", "*"))));

        assertThat(env(rendered))
                .containsEntry("POLL_INTERVAL", "2m")
                .containsEntry("RELINK_POLL_INTERVAL", "500ms")
                .containsEntry("CREATE_OUTCOME_WAIT", "5m")
                .containsEntry("DELETE_ORPHANED_POOLS", "true")
                .containsEntry("MAILGUN_RATE_LIMIT", "2.5")
                .containsEntry("MAILGUN_RATE_BURST", "5")
                .containsEntry("LOG_FORMAT", "json")
                .containsEntry("LOG_LEVEL", "debug")
                .containsEntry("DEFAULT_ACCOUNT_SECRET", "mailgun-key")
                .containsEntry("DEFAULT_ACCOUNT_NAMESPACES", "team-a,*")
                .containsEntry("MAILGUN_ALLOWED_BASE_URLS", "http://mailgun-emulator.test:8025");
    }

    @Test
    void aPodDisruptionBudgetOnlyWithMoreThanOneReplica() {
        assertThat(ChartRenderer.render(Map.of()).ofKind("PodDisruptionBudget")).isEmpty();
        HasMetadata pdb = ChartRenderer.render(Map.of("replicas", 2)).ofKind("PodDisruptionBudget").stream()
                .collect(onlyOne());
        JsonNode spec = Manifests.YAML.valueToTree(pdb).path("spec");
        assertThat(spec.path("minAvailable").asInt()).isEqualTo(1);
        assertThat(spec.path("selector")
                        .path("matchLabels")
                        .path("app.kubernetes.io/name")
                        .asText())
                .isEqualTo("mailgun-ip-pool-operator");
    }

    @Test
    void moreThanOneReplicaNeedsLeaderElection() {
        assertThatThrownBy(
                        () -> ChartRenderer.render(Map.of("replicas", 2, "leaderElection", Map.of("enabled", false))))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("leaderElection");
        assertThat(ChartRenderer.render(Map.of("replicas", 1, "leaderElection", Map.of("enabled", false)))
                        .all(Deployment.class))
                .hasSize(1);
    }

    @Test
    void aNetworkPolicyOnlyWhenEnabledAndOnlyToTheApiServerDnsAndPublicAddresses() {
        assertThat(ChartRenderer.render(Map.of()).ofKind("NetworkPolicy")).isEmpty();
        assertThatThrownBy(() -> ChartRenderer.render(Map.of("networkPolicy", Map.of("enabled", true))))
                .hasMessageContaining("cidrs");

        Map<String, Object> peer =
                Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")));
        HasMetadata policy = ChartRenderer.render(Map.of(
                        "networkPolicy",
                        Map.of(
                                "enabled",
                                true,
                                "apiServer",
                                Map.of("cidrs", List.of("10.96.0.1/32"), "ports", List.of(443)),
                                "metricsFrom",
                                List.of(peer))))
                .ofKind("NetworkPolicy")
                .stream()
                .collect(onlyOne());
        JsonNode spec = Manifests.YAML.valueToTree(policy).path("spec");
        assertThat(spec.path("policyTypes").toString()).contains("Ingress").contains("Egress");
        JsonNode ingress = spec.path("ingress");
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).path("ports").get(0).path("port").asText()).isEqualTo("http");
        assertThat(ingress.get(0).path("from").get(0).path("namespaceSelector").toString())
                .contains("monitoring");
        JsonNode egress = spec.path("egress");
        assertThat(egress).hasSize(3);
        assertThat(egress.get(0).path("to").get(0).path("ipBlock").path("cidr").asText())
                .isEqualTo("10.96.0.1/32");
        JsonNode mailgun = egress.get(1).path("to").get(0).path("ipBlock");
        assertThat(mailgun.path("cidr").asText()).isEqualTo("0.0.0.0/0");
        assertThat(mailgun.path("except").toString())
                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
        assertThat(egress.get(1).path("ports").get(0).path("port").asInt()).isEqualTo(443);
        assertThat(egress.get(2).path("ports").toString()).contains("53");
    }

    @Test
    void valuesYamlWarnsAboutTraceNextToTheLogLevel() throws IOException {
        String values = Files.readString(ChartRenderer.chartDir().resolve("values.yaml"));
        String beforeLevel = values.substring(0, values.indexOf("\nlogLevel:"));
        String comment = beforeLevel.substring(beforeLevel.lastIndexOf("\n\n"));
        assertThat(comment).contains("WARNING").contains("trace");
    }

    @Test
    void noSecretIsRenderedUnlessAskedFor() {
        assertThat(ChartRenderer.render(Map.of()).all(Secret.class)).isEmpty();
        assertThat(ChartRenderer.render(Map.of("defaultAccount", Map.of("apiKey", "key-123")))
                        .all(Secret.class))
                .as("an apiKey alone, without create=true")
                .isEmpty();
    }

    @Test
    void createRendersTheSecretAndPointsTheOperatorAtIt() {
        Manifests rendered = ChartRenderer.render(
                Map.of("defaultAccount", Map.of("create", true, "apiKey", "key-123", "region", "eu")));

        Secret secret = rendered.only(Secret.class);
        assertThat(secret.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        assertThat(decode(secret.getData().get("apiKey"))).isEqualTo("key-123");
        assertThat(decode(secret.getData().get("region"))).isEqualTo("eu");
        assertThat(env(rendered))
                .containsEntry("DEFAULT_ACCOUNT_SECRET", secret.getMetadata().getName());
    }

    @Test
    void anExistingSecretWinsOverCreate() {
        Manifests rendered = ChartRenderer.render(
                Map.of("defaultAccount", Map.of("create", true, "apiKey", "key-123", "existingSecret", "mailgun-key")));

        assertThat(rendered.all(Secret.class)).isEmpty();
        assertThat(env(rendered)).containsEntry("DEFAULT_ACCOUNT_SECRET", "mailgun-key");
    }

    @Test
    void createWithoutAnApiKeyIsRejected() {
        assertThatThrownBy(() -> ChartRenderer.render(Map.of("defaultAccount", Map.of("create", true))))
                .hasMessageContaining("apiKey");
    }

    @Test
    void serviceMonitorOnlyWhenEnabled() {
        assertThat(ChartRenderer.render(Map.of()).ofKind("ServiceMonitor")).isEmpty();

        Manifests rendered = ChartRenderer.render(
                Map.of("serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "prom"))));
        HasMetadata monitor = rendered.ofKind("ServiceMonitor").stream().collect(onlyOne());
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>)
                ((GenericKubernetesResource) monitor).getAdditionalProperties().get("spec");
        JsonNode specNode = Manifests.YAML.valueToTree(spec);
        assertThat(specNode.path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        assertThat(specNode.path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        Map<String, String> selector = Manifests.YAML.convertValue(
                specNode.path("selector").path("matchLabels"),
                Manifests.YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertThat(rendered.only(Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("replicas", Map.of("replicas", "two")),
                Arguments.of("logFormat", Map.of("logFormat", "xml")),
                Arguments.of("logLevel", Map.of("logLevel", "verbose")),
                Arguments.of("pollInterval", Map.of("pollInterval", "soon")),
                Arguments.of("rateLimit", Map.of("rateLimit", 0)),
                Arguments.of("watchNamespaces", Map.of("watchNamespaces", List.of("Not_A_Namespace"))),
                Arguments.of("region", Map.of("defaultAccount", Map.of("region", "ap"))),
                Arguments.of("pullPolicy", Map.of("image", Map.of("pullPolicy", "Sometimes"))),
                Arguments.of("replicaCount", Map.of("replicaCount", 2)),
                Arguments.of("allowedBaseUrls", Map.of("allowedBaseUrls", List.of("ftp://mailgun"))),
                Arguments.of("allowedBaseUrls", Map.of("allowedBaseUrls", List.of())),
                Arguments.of("http", Map.of("http", Map.of("port", 0))),
                Arguments.of("bindAddress", Map.of("http", Map.of("bindAddress", "localhost"))),
                Arguments.of("hostNetwork", Map.of("hostNetwork", "yes")),
                Arguments.of("extraEnv", Map.of("extraEnv", List.of(Map.of("value", "no name")))),
                Arguments.of("extraEnv", Map.of("extraEnv", List.of("A=b"))),
                Arguments.of(
                        "extraEnv",
                        Map.of(
                                "extraEnv",
                                List.of(Map.of(
                                        "name",
                                        "A",
                                        "value",
                                        "b",
                                        "valueFrom",
                                        Map.of("fieldRef", Map.of("fieldPath", "metadata.name")))))),
                Arguments.of("envFrom", Map.of("envFrom", List.of(Map.of("prefix", "X_")))),
                Arguments.of(
                        "envFrom", Map.of("envFrom", List.of(Map.of("configMapRef", Map.of("name", "Not_A_Name"))))),
                Arguments.of("namespaces", Map.of("defaultAccount", Map.of("namespaces", List.of("Team_A")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void valuesSchemaRejectsBadValues(String key, Map<String, Object> values) {
        assertThatThrownBy(() -> ChartRenderer.render(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(key);
    }

    private static void assertHttpGet(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
    }

    private static void assertBoundToOperator(Manifests rendered, List<Subject> subjects) {
        ServiceAccount account = rendered.only(ServiceAccount.class);
        assertThat(subjects).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        });
    }

    private static ClusterRole clusterRole(Manifests rendered, String suffix) {
        return rendered.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith(suffix))
                .collect(onlyOne());
    }

    static List<PolicyRule> allRules(Manifests rendered) {
        List<PolicyRule> rules = new ArrayList<>();
        rendered.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        rendered.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        return rules;
    }

    static Container container(Manifests rendered) {
        return rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().stream()
                .collect(onlyOne());
    }

    /** The container's env as name to value, or to {@code fieldRef:<path>} for downward API. */
    static Map<String, String> env(Manifests rendered) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container(rendered).getEnv()) {
            String value = var.getValueFrom() == null
                    ? (var.getValue() == null ? "" : var.getValue())
                    : "fieldRef:" + var.getValueFrom().getFieldRef().getFieldPath();
            assertThat(env.put(var.getName(), value))
                    .as("duplicate env " + var.getName())
                    .isNull();
        }
        return env;
    }

    static JsonNode valuesYaml() {
        return Manifests.documents(read(ChartRenderer.chartDir().resolve("values.yaml")))
                .get(0);
    }

    static JsonNode chartYaml() {
        return Manifests.documents(read(ChartRenderer.chartDir().resolve("Chart.yaml")))
                .get(0);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    static <T> Collector<T, ?, T> onlyOne() {
        return Collectors.collectingAndThen(Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.get(0);
        });
    }
}
