package dev.ippools.mailgun.reconciler;

import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A real JOSDK Operator in the test JVM against the fabric8 mock API server (CRUD mode) and the
 * Mailgun emulator over HTTP, with short intervals so scenarios converge in seconds.
 */
final class OperatorHarness implements AutoCloseable {

    static final String NS = "default";
    static final String API_KEY = "test-key";
    static final String SECRET = "mailgun";
    static final Duration PROPAGATION_DELAY = Duration.ofMillis(400);

    final KubernetesClient client;
    final MailgunEmulator emulator;
    OperatorRuntime runtime;

    OperatorHarness(KubernetesClient client, AccountFixture fixture) {
        this.client = client;
        // Never instant: Mailgun moves domains in the background, so every scenario goes through
        // Relinking (and the link batches through their verification) as it would in production.
        this.emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withPort(0)
                .withFixture(fixture)
                .withApiKey(API_KEY)
                .withPropagationDelay(PROPAGATION_DELAY));
        installCrds(client);
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET)
                        .withNamespace(NS)
                        .endMetadata()
                        .withStringData(Map.of("apiKey", API_KEY, "baseUrl", emulator.url()))
                        .build())
                .create();
    }

    static AccountFixture sampleFixture() {
        return AccountFixture.load(Path.of("config/samples/emulator-fixture.yaml"));
    }

    /** A never-warmed IP that {@link #warmupFixture} adds to the sample account. */
    static final String NEW_IP = "198.51.100.20";

    /**
     * The sample account with warm-ups of {@code stages} stages of {@code stageDuration} (so its
     * warming IP 198.51.100.14 is warm that long after the emulator starts) and {@link #NEW_IP}.
     */
    static AccountFixture warmupFixture(int stages, String stageDuration) {
        try {
            String sample = Files.readString(Path.of("config/samples/emulator-fixture.yaml"));
            String plan = "warmupPlan: {stages: 20, stageDuration: P1D}";
            if (!sample.contains(plan) || !sample.contains("\nips:\n")) {
                throw new IllegalStateException("the sample fixture changed; adjust warmupFixture");
            }
            return AccountFixture.parse(
                    sample.replace(plan, "warmupPlan: {stages: %d, stageDuration: %s}".formatted(stages, stageDuration))
                            .replace("\nips:\n", "\nips:\n  - {ip: " + NEW_IP + ", warm: false}\n"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every namespace may use the default account; the emulator is the one allowed base URL. */
    OperatorConfig settings() {
        return settings(reconcileSettings(), new MailgunClients(500, 100, MailgunCallListener.NONE));
    }

    static ReconcileSettings reconcileSettings() {
        // A 5xx on a create waits this long for the pool to turn up before creating again.
        return new ReconcileSettings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withCreateOutcomeWait(Duration.ofSeconds(3));
    }

    OperatorConfig settings(ReconcileSettings reconcile, Function<Credentials, MailgunClient> clients) {
        return OperatorConfig.of(
                        CredentialsResolver.DefaultAccount.secret(NS, SECRET),
                        AccountPolicy.anyNamespace(List.of(emulator.url())),
                        clients)
                .withPollInterval(Duration.ofMillis(500))
                .withReconcile(reconcile)
                .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withMaxReconcileInterval(Duration.ofMinutes(1))
                .withServerSideApply(false);
    }

    /** Clients that give up on an answer after {@code readTimeout}, as on a slow Mailgun. */
    static Function<Credentials, MailgunClient> clientsWithReadTimeout(Duration readTimeout) {
        return c -> OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(c.baseUrl())
                .apiKey(c.apiKey())
                .subaccountId(c.subaccountId())
                .readTimeout(readTimeout)
                .retryBaseDelay(Duration.ofMillis(20))
                .retryMaxDelay(Duration.ofMillis(100))
                .build());
    }

    OperatorHarness start() {
        return start(settings());
    }

    OperatorHarness start(OperatorConfig settings) {
        return startOn(client, settings);
    }

    /** Starts the operator on its own Kubernetes client, which a hard stop can cut off. */
    OperatorHarness startOn(KubernetesClient own, OperatorConfig settings) {
        runtime = OperatorRuntime.start(own, settings);
        return this;
    }

    void stopOperator() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    static void installCrds(KubernetesClient client) {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .load(in)
                            .item();
                    client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .resource(crd)
                            .create();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    <T extends HasMetadata> T apply(T resource) {
        resource.getMetadata().setNamespace(NS);
        return client.resource(resource).create();
    }

    /**
     * Edits a resource, retrying when the operator's own status write got in between (409), as a
     * person re-running kubectl edit would.
     */
    <T extends HasMetadata> void edit(Class<T> type, String name, java.util.function.UnaryOperator<T> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.resources(type).inNamespace(NS).withName(name).edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 20) {
                    throw e;
                }
            }
        }
    }

    IpPool pool(String name) {
        return client.resources(IpPool.class).inNamespace(NS).withName(name).get();
    }

    DomainPoolBinding binding(String name) {
        return client.resources(DomainPoolBinding.class)
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    static Optional<Condition> condition(HasMetadata r, String type) {
        List<Condition> conditions = null;
        if (r instanceof IpPool p && p.getStatus() != null) {
            conditions = p.getStatus().conditions();
        } else if (r instanceof DomainPoolBinding b && b.getStatus() != null) {
            conditions = b.getStatus().conditions();
        }
        return conditions == null ? Optional.empty() : Conditions.find(conditions, type);
    }

    static String ready(HasMetadata r) {
        return r == null
                ? "gone"
                : condition(r, ConditionTypes.READY)
                        .map(c -> c.getStatus() + "/" + c.getReason())
                        .orElse("none");
    }

    void awaitPoolReady(String name, String statusAndReason) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ready(pool(name)), statusAndReason::equals);
    }

    void awaitBindingReady(String name, String statusAndReason) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ready(binding(name)), statusAndReason::equals);
    }

    void awaitPoolGone(String name) {
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> pool(name) == null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "IpPool " + name + " was not deleted; status: " + pool(name).getStatus() + "; journal: "
                            + emulator.journal().entries(),
                    e);
        }
    }

    void awaitBindingGone(String name) {
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> binding(name) == null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "DomainPoolBinding " + name + " was not deleted; status: "
                            + binding(name).getStatus() + "; journal: "
                            + emulator.journal().entries(),
                    e);
        }
    }

    long calls(String endpoint) {
        return emulator.journal().entries(endpoint).size();
    }

    @Override
    public void close() {
        stopOperator();
        emulator.close();
    }
}
