package dev.ippools.mailgun.local;

import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.reconciler.ReconcileSettings;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole product on one machine: a real Kubernetes API server, the CRDs, the Mailgun emulator
 * with the sample account, the operator (in this JVM, server-side apply on) and the samples. The
 * operator's default account is a Secret pointing at the emulator, as a cluster install would
 * have it.
 */
public final class LocalEnvironment implements AutoCloseable {

    public static final String NAMESPACE = "default";
    public static final String ACCOUNT_SECRET = "mailgun-emulator";

    private static final Duration CRD_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param emulatorPort 0 picks a free port
     * @param kubeconfig where to write the admin kubeconfig; null: a new temporary directory,
     *     removed on close
     */
    public record Options(int emulatorPort, boolean applySamples, boolean download, Path kubeconfig) {
        public static Options defaults() {
            return new Options(8025, true, false, null);
        }
    }

    private final Deque<AutoCloseable> toClose;
    private final KubernetesClient client;
    private final MailgunEmulator emulator;
    private final Path kubeconfig;

    private LocalEnvironment(
            Deque<AutoCloseable> toClose, KubernetesClient client, MailgunEmulator emulator, Path kubeconfig) {
        this.toClose = toClose;
        this.client = client;
        this.emulator = emulator;
        this.kubeconfig = kubeconfig;
    }

    /**
     * Starts everything, reporting each step to {@code progress}; on failure stops what did start
     * and rethrows.
     */
    public static LocalEnvironment start(Options options, Consumer<String> progress) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            progress.accept("Starting a Kubernetes API server (etcd + kube-apiserver)");
            LocalApiServer apiServer = LocalApiServer.start(options.download());
            started.push(apiServer);

            Path kubeconfig = options.kubeconfig();
            if (kubeconfig == null) {
                Path dir = Files.createTempDirectory("mailgun-ip-pool-operator-local-");
                started.push(() -> deleteQuietly(dir));
                kubeconfig = dir.resolve("kubeconfig");
                Path file = kubeconfig;
                started.push(() -> deleteQuietly(file));
            }
            apiServer.writeKubeconfig(kubeconfig);
            KubernetesClient client = apiServer.newClient();
            started.push(client);

            progress.accept("Installing the IpPool and DomainPoolBinding CRDs");
            CustomResourceDefinitions.install(client, BundledManifests.crds(), CRD_TIMEOUT);

            progress.accept("Starting the Mailgun emulator with the sample account");
            EmulatorConfig emulatorConfig =
                    EmulatorConfig.defaults().withPort(options.emulatorPort()).withFixture(AccountFixture.defaults());
            MailgunEmulator emulator = MailgunEmulator.start(emulatorConfig);
            started.push(emulator);
            client.secrets()
                    .inNamespace(NAMESPACE)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(ACCOUNT_SECRET)
                            .endMetadata()
                            .withStringData(Map.of(
                                    AccountReference.API_KEY, emulatorConfig.apiKey(),
                                    AccountReference.BASE_URL, emulator.url()))
                            .build())
                    .fieldManager(CustomResourceDefinitions.FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();

            progress.accept("Starting the operator");
            started.push(OperatorRuntime.start(client, operatorSettings(emulator.url())));

            if (options.applySamples()) {
                progress.accept("Applying the samples to namespace " + NAMESPACE);
                for (HasMetadata sample : BundledManifests.samples()) {
                    client.resource(sample)
                            .inNamespace(NAMESPACE)
                            .fieldManager(CustomResourceDefinitions.FIELD_MANAGER)
                            .forceConflicts()
                            .serverSideApply();
                }
            }
            return new LocalEnvironment(started, client, emulator, kubeconfig);
        } catch (IOException | RuntimeException e) {
            closeAll(started);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot write the kubeconfig: " + e.getMessage(), e);
        }
    }

    /**
     * Short intervals: a person is watching. One person's machine: every namespace may use the
     * default account, and the emulator is allowed explicitly next to Mailgun's hosts.
     */
    static OperatorConfig operatorSettings(String emulatorUrl) {
        return OperatorConfig.of(
                        DefaultAccount.secret(NAMESPACE, ACCOUNT_SECRET),
                        AccountPolicy.anyNamespace(AccountPolicy.MAILGUN_BASE_URLS)
                                .allowing(emulatorUrl),
                        new MailgunClients(10, 20, MailgunCallListener.NONE))
                .withPollInterval(Duration.ofSeconds(10))
                .withReconcile(
                        new ReconcileSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5)))
                .withRetry(Duration.ofMillis(500), Duration.ofSeconds(10))
                .withMaxReconcileInterval(Duration.ofMinutes(5));
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String emulatorUrl() {
        return emulator.url();
    }

    public MailgunEmulator emulator() {
        return emulator;
    }

    /** An admin client, closed with this environment. */
    public KubernetesClient client() {
        return client;
    }

    /** Every IpPool and then every DomainPoolBinding, by namespace and name. */
    public List<ResourceRow> rows() {
        List<ResourceRow> rows = new ArrayList<>();
        client.resources(IpPool.class).inAnyNamespace().list().getItems().stream()
                .sorted(byNamespaceAndName())
                .map(ResourceRow::of)
                .forEach(rows::add);
        client.resources(DomainPoolBinding.class).inAnyNamespace().list().getItems().stream()
                .sorted(byNamespaceAndName())
                .map(ResourceRow::of)
                .forEach(rows::add);
        return rows;
    }

    /** The kubectl that matches the API server, if kube-api-test's directory has one. */
    public Optional<Path> kubectl() {
        return LocalApiServer.kubectl();
    }

    private static Comparator<HasMetadata> byNamespaceAndName() {
        return Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
                .thenComparing(r -> r.getMetadata().getName());
    }

    /** Stops the operator, the emulator and the API server, in that order. Idempotent. */
    @Override
    public void close() {
        synchronized (toClose) {
            closeAll(toClose);
        }
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        // Stopping waits for threads and processes: a pending interrupt would cut that short and
        // leave etcd running. It is restored afterwards.
        boolean interrupted = Thread.interrupted();
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the local environment: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A temporary file the OS cleans up anyway.
        }
    }
}
