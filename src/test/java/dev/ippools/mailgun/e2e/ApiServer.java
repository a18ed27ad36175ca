package dev.ippools.mailgun.e2e;

import dev.ippools.mailgun.local.CustomResourceDefinitions;
import dev.ippools.mailgun.local.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real etcd + kube-apiserver per test class (starting one takes seconds), an admin client,
 * its kubeconfig as a file for kubectl and Helm, and a fresh namespace per test.
 */
final class ApiServer implements AutoCloseable {

    private static final Duration CRD_TIMEOUT = Duration.ofSeconds(60);

    final LocalApiServer server;
    final KubernetesClient admin;
    final Path kubeconfig;
    private final Path workDir;
    private final List<KubernetesClient> clients = new ArrayList<>();

    private ApiServer(LocalApiServer server, Path workDir) {
        this.server = server;
        this.workDir = workDir;
        this.kubeconfig = server.writeKubeconfig(workDir.resolve("kubeconfig"));
        this.admin = server.newClient();
    }

    static ApiServer start() {
        LocalApiServer server = LocalApiServer.start(!LocalApiServer.binariesInstalled());
        try {
            return new ApiServer(server, Files.createTempDirectory("mailgun-e2e-"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("cannot prepare the API server for the test", e);
        }
    }

    /** The CRDs committed in {@code crds/}, installed and Established. */
    List<CustomResourceDefinition> installCrds() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        KubernetesSerialization serialization = new KubernetesSerialization();
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    crds.add(serialization.unmarshal(in, CustomResourceDefinition.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CustomResourceDefinitions.install(admin, crds, CRD_TIMEOUT);
        return crds;
    }

    /** A new namespace with a unique name starting with {@code prefix}. */
    String newNamespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    /** A client that acts as {@code user} (impersonation by the admin); closed with the server. */
    KubernetesClient impersonating(String user) {
        Config config =
                new ConfigBuilder(server.config()).withImpersonateUsername(user).build();
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        clients.add(client);
        return client;
    }

    /** A new admin client, e.g. one per operator replica; closed with the server. */
    KubernetesClient newAdminClient() {
        KubernetesClient client = server.newClient();
        clients.add(client);
        return client;
    }

    /** Runs the kubectl that came with the API server binaries against this server. */
    Result kubectl(String... args) {
        Path kubectl = LocalApiServer.kubectl()
                .orElseThrow(() -> new IllegalStateException(
                        "no kubectl next to kube-apiserver; run `bash .ci/envtest-binaries.sh`"));
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(workDir, "kubectl-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl did not finish in 60 s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exitCode, String output) {
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + output);
            }
            return this;
        }
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        admin.close();
        server.close();
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path p :
                    files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory: the OS cleans it up.
        }
    }
}
