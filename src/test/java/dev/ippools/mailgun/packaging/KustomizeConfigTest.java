package dev.ippools.mailgun.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.local.LocalApiServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomize config under {@code config/}: every kustomization resolves, the objects it lists
 * are Kubernetes objects, and the Deployment and RBAC stay in step with the Helm chart.
 */
class KustomizeConfigTest {

    private static final String NAMESPACE = "mailgun-ip-pool-operator";
    // Placeholder namespace in the raw files; config/default's `namespace` replaces it.
    private static final String PLACEHOLDER_NAMESPACE = "system";
    // The Secret name config/manager's Deployment uses for the default account.
    private static final String DEFAULT_ACCOUNT_SECRET = "mailgun-default-account";

    static Path configDir() {
        return Manifests.projectDir().resolve("config");
    }

    /** Every kustomization under config/ and the ones they reach (the top-level crds/). */
    static List<Path> kustomizations() throws IOException {
        List<Path> found;
        try (Stream<Path> files = Files.walk(configDir())) {
            found = new ArrayList<>(files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .toList());
        }
        // Without an extension, so that `kubectl apply -f crds/` skips it (crds/Kustomization).
        found.add(Manifests.projectDir().resolve("crds/Kustomization"));
        return found.stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyListedResourceExistsAndHoldsKubernetesObjects(Path kustomization) {
        Path root = kustomization.getParent();
        List<String> resources = resources(kustomization);

        assertThat(resources).as(kustomization.toString()).isNotEmpty();
        for (String entry : resources) {
            Path target = root.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                // Kustomize reaches outside its root only into folders with a kustomization of their own.
                assertThat(kustomizationIn(target)).as(entry).isRegularFile();
            } else {
                assertThat(target).as("%s lists %s", kustomization, entry).isRegularFile();
                assertThat(target.startsWith(root))
                        .as("%s: a file outside the kustomization root is refused by kustomize", entry)
                        .isTrue();
                assertThat(Manifests.read(target).objects()).as(entry).isNotEmpty();
            }
        }
    }

    @Test
    void defaultComposesCrdsRbacAndManagerInItsOwnNamespace() {
        JsonNode kustomization = yaml(configDir().resolve("default/kustomization.yaml"));

        assertThat(kustomization.path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(kustomization.path("namePrefix").asText()).isEqualTo(NAMESPACE + "-");
        assertThat(resources(configDir().resolve("default/kustomization.yaml")))
                .containsExactly("../crd", "../rbac", "../manager");
        assertThat(resources(configDir().resolve("crd/kustomization.yaml"))).containsExactly("../../crds");
        assertThat(build(configDir().resolve("crd")).all(CustomResourceDefinition.class))
                .map(crd -> crd.getMetadata().getName())
                .containsExactlyInAnyOrder("ippools.mailgun.ippools.dev", "domainpoolbindings.mailgun.ippools.dev");
    }

    @Test
    void samplesListEveryCustomResourceSampleButNotTheEmulatorFixture() throws IOException {
        Path samples = configDir().resolve("samples");
        List<String> listed = resources(samples.resolve("kustomization.yaml"));
        List<String> customResources;
        try (Stream<Path> files = Files.list(samples)) {
            customResources = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("mailgun.ippools.dev_"))
                    .toList();
        }

        assertThat(listed).doesNotContain("emulator-fixture.yaml");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(customResources);
    }

    @Test
    void namesReferencedAcrossFilesResolve() {
        Manifests objects = build(configDir().resolve("default"));
        ServiceAccount account = objects.only(ServiceAccount.class);
        Deployment deployment = objects.only(Deployment.class);
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account.getMetadata().getName());
        assertThat(podLabels)
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels)
                .containsAllEntriesOf(objects.only(Service.class).getSpec().getSelector());
        for (ClusterRoleBinding binding : objects.all(ClusterRoleBinding.class)) {
            assertRefersTo(objects, binding.getRoleRef());
            assertSubjectIs(account, binding.getSubjects());
        }
        for (RoleBinding binding : objects.all(RoleBinding.class)) {
            assertRefersTo(objects, binding.getRoleRef());
            assertSubjectIs(account, binding.getSubjects());
        }
        // Kustomize's `namespace` moves objects in the placeholder namespace; keep them all there.
        assertThat(objects.objects())
                .filteredOn(o -> o.getMetadata().getNamespace() != null)
                .allMatch(o -> PLACEHOLDER_NAMESPACE.equals(o.getMetadata().getNamespace()));
        assertThat(objects.only(Namespace.class).getMetadata().getName()).isEqualTo(PLACEHOLDER_NAMESPACE);
    }

    @Test
    void managerDeploymentMatchesTheChartsDeployment() {
        Deployment config = build(configDir().resolve("manager")).only(Deployment.class);
        Deployment chart = ChartRenderer.render(
                        Map.of("defaultAccount", Map.of("existingSecret", DEFAULT_ACCOUNT_SECRET)))
                .only(Deployment.class);
        PodSpec configPod = config.getSpec().getTemplate().getSpec();
        PodSpec chartPod = chart.getSpec().getTemplate().getSpec();
        Container configContainer = configPod.getContainers().get(0);
        Container chartContainer = chartPod.getContainers().get(0);

        assertThat(configPod.getContainers()).hasSize(1);
        assertThat(config.getSpec().getReplicas()).isEqualTo(chart.getSpec().getReplicas());
        assertThat(configContainer.getName()).isEqualTo(chartContainer.getName());
        assertThat(configContainer.getCommand()).isEqualTo(chartContainer.getCommand());
        assertThat(configContainer.getArgs()).isEqualTo(chartContainer.getArgs());
        assertThat(configContainer.getEnv()).isEqualTo(chartContainer.getEnv());
        assertThat(configContainer.getPorts()).isEqualTo(chartContainer.getPorts());
        assertThat(configContainer.getLivenessProbe()).isEqualTo(chartContainer.getLivenessProbe());
        assertThat(configContainer.getReadinessProbe()).isEqualTo(chartContainer.getReadinessProbe());
        assertThat(configContainer.getResources()).isEqualTo(chartContainer.getResources());
        assertThat(configContainer.getSecurityContext()).isEqualTo(chartContainer.getSecurityContext());
        assertThat(configContainer.getVolumeMounts()).isEqualTo(chartContainer.getVolumeMounts());
        assertThat(configContainer.getImagePullPolicy()).isEqualTo(chartContainer.getImagePullPolicy());
        assertThat(configPod.getSecurityContext()).isEqualTo(chartPod.getSecurityContext());
        assertThat(configPod.getVolumes()).isEqualTo(chartPod.getVolumes());
    }

    @Test
    void theOptionalNetworkPolicyMatchesTheChartsDefaults() {
        HasMetadata config = build(configDir().resolve("network-policy")).ofKind("NetworkPolicy").stream()
                .collect(HelmChartTest.onlyOne());
        HasMetadata chart = ChartRenderer.render(Map.of(
                        "networkPolicy",
                        Map.of("enabled", true, "apiServer", Map.of("cidrs", List.of("192.0.2.1/32")))))
                .ofKind("NetworkPolicy")
                .stream()
                .collect(HelmChartTest.onlyOne());
        JsonNode configSpec = Manifests.YAML.valueToTree(config).path("spec");
        JsonNode chartSpec = Manifests.YAML.valueToTree(chart).path("spec");
        assertThat(configSpec.path("egress")).isEqualTo(chartSpec.path("egress"));
        assertThat(configSpec.path("policyTypes")).isEqualTo(chartSpec.path("policyTypes"));
        assertThat(configSpec.path("ingress").size()).isZero();
    }

    @Test
    void rbacGrantsTheSameRightsAsTheChart() {
        Manifests config = build(configDir().resolve("rbac"));
        Manifests chart = ChartRenderer.render(Map.of());

        assertThat(Grant.of(clusterRole(config, "manager-role").getRules()))
                .isEqualTo(Grant.of(clusterRole(chart, "-manager").getRules()))
                .isEqualTo(Grant.union(Grant.OPERATOR, Grant.OWNER_ID));
        assertThat(Grant.of(config.only(Role.class).getRules()))
                .isEqualTo(Grant.of(chart.only(Role.class).getRules()))
                .isEqualTo(Grant.LEADER_ELECTION);
        for (String userRole : List.of("editor", "viewer")) {
            ClusterRole configRole = clusterRole(config, userRole + "-role");
            ClusterRole chartRole = clusterRole(chart, "-" + userRole);
            assertThat(Grant.of(configRole.getRules())).isEqualTo(Grant.of(chartRole.getRules()));
            assertThat(aggregationLabels(configRole)).isNotEmpty().isEqualTo(aggregationLabels(chartRole));
        }
        assertThat(HelmChartTest.allRules(config)).allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @Test
    void imageTagChartAppVersionAndProjectVersionAgree() throws IOException {
        JsonNode images =
                yaml(configDir().resolve("manager/kustomization.yaml")).path("images");
        String pom = Files.readString(Manifests.projectDir().resolve("pom.xml"));
        Matcher version = Pattern.compile(
                        "<artifactId>mailgun-ip-pool-operator</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);

        assertThat(version.find()).isTrue();
        String appVersion = HelmChartTest.chartYaml().path("appVersion").asText();
        // .ci/image.sh tags the image with the project version: the default tag must name it.
        assertThat(version.group(1)).isEqualTo(appVersion);
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("newTag").asText()).isEqualTo(appVersion);
        assertThat(images.get(0).path("newName").asText())
                .isEqualTo(HelmChartTest.valuesYaml()
                        .path("image")
                        .path("repository")
                        .asText());
    }

    /**
     * Kustomize itself, through the kubectl that .ci/envtest-binaries.sh installs (or one on the
     * PATH); it works offline.
     */
    @Test
    void kubectlKustomizeBuildsTheDefaultAsExpected() throws Exception {
        Path kubectl = LocalApiServer.kubectl().orElseGet(() -> onPath("kubectl"));
        assertThat(kubectl)
                .as("kubectl: run `bash .ci/envtest-binaries.sh` to install it")
                .isNotNull();

        for (Path kustomization : kustomizations()) {
            build(kubectl, kustomization.getParent());
        }
        Manifests built = Manifests.parse(build(kubectl, configDir().resolve("default")));
        ServiceAccount account = built.only(ServiceAccount.class);
        Deployment deployment = built.only(Deployment.class);

        assertThat(built.only(Namespace.class).getMetadata().getName()).isEqualTo(NAMESPACE);
        assertThat(built.all(CustomResourceDefinition.class)).hasSize(2);
        assertThat(built.objects())
                .filteredOn(o -> !(o instanceof Namespace || o instanceof CustomResourceDefinition))
                .allSatisfy(o -> assertThat(o.getMetadata().getName()).startsWith(NAMESPACE + "-"));
        assertThat(built.objects())
                .filteredOn(o -> o.getMetadata().getNamespace() != null)
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account.getMetadata().getName());
        built.all(ClusterRoleBinding.class).forEach(b -> {
            assertRefersTo(built, b.getRoleRef());
            assertSubjectIs(account, b.getSubjects());
        });
        built.all(RoleBinding.class).forEach(b -> {
            assertRefersTo(built, b.getRoleRef());
            assertSubjectIs(account, b.getSubjects());
        });
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(HelmChartTest.valuesYaml()
                                .path("image")
                                .path("repository")
                                .asText() + ":"
                        + HelmChartTest.chartYaml().path("appVersion").asText());
    }

    /** The objects a kustomization lists, followed through folders, without transformations. */
    static Manifests build(Path dir) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String entry : resources(kustomizationIn(dir))) {
            Path target = dir.resolve(entry).normalize();
            objects.addAll(
                    Files.isDirectory(target)
                            ? build(target).objects()
                            : Manifests.read(target).objects());
        }
        return new Manifests(objects);
    }

    /** The kustomization file in a folder, under any of the names kustomize accepts. */
    static Path kustomizationIn(Path dir) {
        return Stream.of("kustomization.yaml", "kustomization.yml", "Kustomization")
                .map(dir::resolve)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(dir.resolve("kustomization.yaml"));
    }

    private static String build(Path kubectl, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("kubectl kustomize %s:%n%s", dir, text)
                .isZero();
        return text;
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void assertRefersTo(Manifests objects, RoleRef ref) {
        Class<? extends HasMetadata> type = "ClusterRole".equals(ref.getKind()) ? ClusterRole.class : Role.class;
        assertThat(objects.all(type))
                .as("%s %s", ref.getKind(), ref.getName())
                .anyMatch(r -> r.getMetadata().getName().equals(ref.getName()));
    }

    private static void assertSubjectIs(ServiceAccount account, List<Subject> subjects) {
        assertThat(subjects).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
        });
    }

    /** The labels that make a ClusterRole part of the built-in admin, edit or view roles. */
    private static Map<String, String> aggregationLabels(ClusterRole role) {
        return role.getMetadata().getLabels().entrySet().stream()
                .filter(e -> e.getKey().startsWith("rbac.authorization.k8s.io/aggregate-to-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static ClusterRole clusterRole(Manifests objects, String suffix) {
        return objects.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith(suffix))
                .collect(HelmChartTest.onlyOne());
    }

    private static List<String> resources(Path kustomization) {
        List<String> resources = new ArrayList<>();
        yaml(kustomization).path("resources").forEach(node -> resources.add(node.asText()));
        return resources;
    }

    private static JsonNode yaml(Path file) {
        try {
            return Manifests.documents(Files.readString(file)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
